import type { AuditExportSlack, UploadedFile } from '../../../src/commands/AuditExportDeps';

type Call = 'openDm' | 'uploadFile' | 'shareFile';

/** Records the Slack side of an audit export; unit tests only (integration uses the stand-in). */
export class RecordingExportSlack implements AuditExportSlack {
  /** Every call in order, e.g. `openDm U1`, `uploadFile F1 name.jsonl`, `shareFile F1 D1`. */
  readonly calls: string[] = [];
  readonly uploads: { filename: string; content: Uint8Array }[] = [];
  readonly shares: { fileId: string; title: string; channel: string; comment: string }[] = [];
  /** The call that fails with this Slack-style error, once set. */
  failAt: { call: Call; error: string } | null = null;

  openDm(userId: string): Promise<string> {
    this.calls.push(`openDm ${userId}`);
    this.maybeFail('openDm');
    return Promise.resolve(`D${userId.slice(1)}`);
  }

  uploadFile(file: { filename: string; content: Uint8Array }): Promise<UploadedFile> {
    this.maybeFail('uploadFile');
    this.uploads.push({ filename: file.filename, content: Uint8Array.from(file.content) });
    const fileId = `F${this.uploads.length}`;
    this.calls.push(`uploadFile ${fileId} ${file.filename}`);
    return Promise.resolve({ fileId });
  }

  shareFile(share: { fileId: string; title: string; channel: string; comment: string }) {
    this.calls.push(`shareFile ${share.fileId} ${share.channel}`);
    this.maybeFail('shareFile');
    this.shares.push(share);
    return Promise.resolve();
  }

  private maybeFail(call: Call): void {
    if (this.failAt?.call === call) throw new Error(`Slack answered ${this.failAt.error}`);
  }
}
