/** A file as files.getUploadURLExternal / upload / files.completeUploadExternal leave it. */
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

// structuredClone would turn the Buffer into a plain Uint8Array.
function copyFile(f: StoredFile): StoredFile {
  const { content, ...rest } = f;
  return { ...structuredClone(rest), ...(content ? { content: Buffer.from(content) } : {}) };
}

/** Uploaded files for the test Slack; queries return copies so tests cannot corrupt state. */
export class FileStore {
  private fileMap = new Map<string, StoredFile>();
  private fileSeq = 0;

  create(filename: string, declaredLength: number): StoredFile {
    this.fileSeq += 1;
    const id = `F${String(this.fileSeq).padStart(9, '0')}`;
    const file: StoredFile = {
      id,
      filename,
      declaredLength,
      uploaded: false,
      completed: false,
      channels: [],
    };
    this.fileMap.set(id, file);
    return file;
  }
  /** The live record: handlers mutate it as the upload progresses. */
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
  }
}
