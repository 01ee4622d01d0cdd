/** Carriage return, then erase the whole line (ECMA-48 EL 2): the cursor stays at column 1. */
const REWRITE = '\r\x1b[2K';

/** One line on a terminal, rewritten in place by each show() and erased by clear(). */
export function progressLine(write: (chunk: string) => void): {
  show: (text: string) => void;
  clear: () => void;
} {
  let shown = false;
  return {
    show: (text) => {
      write(`${REWRITE}${text}`);
      shown = true;
    },
    clear: () => {
      if (shown) write(REWRITE);
      shown = false;
    },
  };
}
