import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa };
/** Envelopes are small; a larger frame is a client bug worth a loud close (1009). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The server end of one WebSocket (RFC 6455), enough for Slack's Socket Mode: text messages
 * (fragmented or not), ping answered by pong, the close handshake. No extensions are agreed, so
 * frames are never compressed. Emits 'message' (string) and 'close' (code).
 */
export class WebSocketPeer extends EventEmitter {
  private buffered = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closeSent = false;
  private closed = false;

  private constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish(1006));
    socket.on('error', () => this.finish(1006));
  }

  /** Completes the upgrade handshake, or answers 400 and returns undefined. */
  static accept(req: IncomingMessage, socket: Duplex, head: Buffer): WebSocketPeer | undefined {
    const key = req.headers['sec-websocket-key'];
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      return undefined;
    }
    const acceptKey = createHash('sha1').update(`${key}${HANDSHAKE_GUID}`).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n' +
        `sec-websocket-accept: ${acceptKey}\r\n\r\n`,
    );
    const peer = new WebSocketPeer(socket);
    if (head.length > 0) peer.receive(head);
    return peer;
  }

  get isOpen(): boolean {
    return !this.closed && !this.closeSent;
  }

  send(text: string): void {
    if (this.isOpen) this.socket.write(frame(OP.text, Buffer.from(text, 'utf8')));
  }

  /** Starts the close handshake; the socket ends when the client answers (or after 1 s). */
  close(code = 1000, reason = ''): void {
    if (this.closed || this.closeSent) return;
    this.closeSent = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.write(frame(OP.close, payload));
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Drops the TCP connection without a close frame, as a crashed Slack pod would. */
  destroy(): void {
    this.socket.destroy();
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', code);
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const parsed = parseFrame(this.buffered);
      if (!parsed) return;
      this.buffered = this.buffered.subarray(parsed.size);
      this.handle(parsed.fin, parsed.opcode, parsed.payload);
    }
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OP.ping) {
      if (this.isOpen) this.socket.write(frame(OP.pong, payload));
      return;
    }
    if (opcode === OP.pong) return;
    if (opcode === OP.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      if (!this.closeSent) {
        this.closeSent = true;
        this.socket.write(frame(OP.close, payload.subarray(0, 2)));
      }
      this.socket.end();
      this.finish(code);
      return;
    }
    this.fragments.push(payload);
    const size = this.fragments.reduce((n, b) => n + b.length, 0);
    if (size > MAX_MESSAGE_BYTES) {
      this.close(1009, 'message too big');
      return;
    }
    if (!fin) return;
    const message = Buffer.concat(this.fragments);
    this.fragments = [];
    this.emit('message', message.toString('utf8'));
  }
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const header = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (len < 126) header[1] = len;
  else if (len < 65536) {
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

/** One complete frame from the start of `buf`, unmasked, or undefined until more bytes arrive. */
function parseFrame(
  buf: Buffer,
): { fin: boolean; opcode: number; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const b0 = buf[0] ?? 0;
  const b1 = buf[1] ?? 0;
  let len = b1 & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  const maskAt = offset;
  if (masked) offset += 4;
  if (buf.length < offset + len) return undefined;
  const payload = Buffer.from(buf.subarray(offset, offset + len));
  if (masked) {
    for (let i = 0; i < payload.length; i++) {
      payload[i] = (payload[i] ?? 0) ^ (buf[maskAt + (i % 4)] ?? 0);
    }
  }
  return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload, size: offset + len };
}
