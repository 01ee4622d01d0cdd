import { randomBytes } from 'node:crypto';

/** A file as files.getUploadURLExternal / the upload URL / files.completeUploadExternal leave it. */
export interface StoredFile {
  id: string;
  filename: string;
  declaredLength: number;
  title?: string;
  uploaded: boolean;
  content?: Buffer;
  completed: boolean;
  channels: string[];
}

/** What the upload URL answers: Slack's upload service says 200 for a stored file, else not. */
export interface UploadAnswer {
  status: number;
  text: string;
  fileId?: string;
  bytes: number;
}

/**
 * Files kept for inspection: a local serve runs for days and an audit export can be megabytes,
 * so only the newest are kept (the oldest go first, as the call log's do).
 */
export const FILE_LIMIT = 100;
export const FILE_BYTES_LIMIT = 256 * 1024 * 1024;

// structuredClone would turn the Buffer into a plain Uint8Array.
function copyFile(f: StoredFile): StoredFile {
  const { content, ...rest } = f;
  return { ...structuredClone(rest), ...(content ? { content: Buffer.from(content) } : {}) };
}

/**
 * Uploaded files of the local Slack. An upload URL carries a random token rather than the file
 * id, as Slack's do, so knowing a file id is not enough to write its bytes; each URL takes one
 * upload of exactly the declared length. Queries return copies so tests cannot corrupt state.
 */
export class FileStore {
  private fileMap = new Map<string, StoredFile>();
  private tokens = new Map<string, string>();
  private fileSeq = 0;

  /** A new pending upload and the token of its upload URL. */
  create(filename: string, declaredLength: number): { file: StoredFile; token: string } {
    this.fileSeq += 1;
    const id = `F${String(this.fileSeq).padStart(9, '0')}`;
    const token = randomBytes(16).toString('hex');
    const file: StoredFile = {
      id,
      filename,
      declaredLength,
      uploaded: false,
      completed: false,
      channels: [],
    };
    this.fileMap.set(id, file);
    this.tokens.set(token, id);
    this.evict();
    return { file, token };
  }

  /** The POST to an upload URL: stores the bytes once, when their length is the declared one. */
  receive(token: string, content: Buffer): UploadAnswer {
    const id = this.tokens.get(token);
    const file = id === undefined ? undefined : this.fileMap.get(id);
    const bytes = content.length;
    if (!file) return { status: 404, text: 'upload URL not found', bytes };
    if (file.uploaded) {
      return { status: 400, text: 'this upload URL was already used', fileId: file.id, bytes };
    }
    if (bytes !== file.declaredLength) {
      const text = `length mismatch: files.getUploadURLExternal declared ${file.declaredLength} bytes, received ${bytes}`;
      return { status: 400, text, fileId: file.id, bytes };
    }
    file.content = Buffer.from(content);
    file.uploaded = true;
    this.evict();
    return { status: 200, text: `OK - ${bytes}`, fileId: file.id, bytes };
  }

  /** The live record: completeUploadExternal marks it shared. */
  record(id: string): StoredFile | undefined {
    return this.fileMap.get(id);
  }
  all(): StoredFile[] {
    return [...this.fileMap.values()].map(copyFile);
  }
  get(id: string): StoredFile | undefined {
    const f = this.fileMap.get(id);
    return f ? copyFile(f) : undefined;
  }
  clear(): void {
    this.fileMap = new Map();
    this.tokens = new Map();
  }

  private evict(): void {
    let bytes = 0;
    for (const f of this.fileMap.values()) bytes += f.content?.length ?? 0;
    for (const [id, f] of this.fileMap) {
      if (this.fileMap.size <= FILE_LIMIT && bytes <= FILE_BYTES_LIMIT) break;
      bytes -= f.content?.length ?? 0;
      this.fileMap.delete(id);
      for (const [token, of] of this.tokens) if (of === id) this.tokens.delete(token);
    }
  }
}
