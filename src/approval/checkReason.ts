/** Longest reason kept; the modal's input has the same limit. */
export const MAX_REASON = 2000;
/** Visible characters a reason needs: "fix" passes, a lone "." or a zero-width space does not. */
export const MIN_VISIBLE = 3;

// Line and paragraph breaks of every kind: a reason is shown on its requester's line, and a
// second line could pass for one of the approval message's status lines.
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/u;
// Zero-width and other format characters (Cf: ZWSP, ZWJ, bidi overrides, BOM…) render as
// nothing, or reorder what is shown: they are dropped before the reason is counted or stored.
const FORMAT = /\p{Cf}/gu;

export type ReasonCheck = { ok: true; reason: string } | { ok: false; message: string };

/** The reason as stored and shown, or a specific message for the modal's reason field. */
export function checkReason(raw: string): ReasonCheck {
  if (LINE_BREAK.test(raw)) {
    return { ok: false, message: 'The reason must be one line: remove the line breaks.' };
  }
  const reason = raw.replace(FORMAT, '').trim();
  const visible = [...reason.replace(/\s/gu, '')].length;
  if (visible < MIN_VISIBLE) {
    return {
      ok: false,
      message: `Give a reason of at least ${MIN_VISIBLE} visible characters (invisible characters do not count).`,
    };
  }
  if ([...reason].length > MAX_REASON) {
    return { ok: false, message: `The reason is too long: at most ${MAX_REASON} characters.` };
  }
  return { ok: true, reason };
}
