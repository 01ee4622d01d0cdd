import type { WebClient } from '@slack/web-api';
import type { AuditExportSlack, UploadedFile } from '../commands/AuditExportDeps';
import { PortbotError } from '../domain/PortbotError';
import { slackCall } from './slackCall';

/** The POST of the bytes to the upload URL; an export of some MiB must not hang a request. */
export const UPLOAD_TIMEOUT_MS = 60_000;

/**
 * Slack's two-step external upload over @slack/web-api (clients from createWebClients):
 * files.getUploadURLExternal, the bytes POSTed to the URL it returns, then
 * files.completeUploadExternal to share. The URL request may be retried by the client (a retry
 * only hands out another URL); the completion goes through `posts`, which never resends: a
 * resent completion whose first answer was lost would share the file, then fail.
 */
export class WebClientFiles implements Pick<AuditExportSlack, 'uploadFile' | 'shareFile'> {
  constructor(
    private readonly client: WebClient,
    private readonly posts: WebClient,
  ) {}

  async uploadFile(file: { filename: string; content: Uint8Array }): Promise<UploadedFile> {
    const res = await slackCall(() =>
      this.client.files.getUploadURLExternal({
        filename: file.filename,
        length: file.content.length,
      }),
    );
    if (!res.upload_url || !res.file_id) {
      throw new PortbotError('SLACK_API', 'files.getUploadURLExternal returned no upload URL', {
        userFacing: false,
      });
    }
    // The URL is a bearer capability: it is never logged or put in an error.
    const answer = await fetch(res.upload_url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file.content,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    const text = await answer.text();
    if (answer.status !== 200) {
      throw new PortbotError(
        'SLACK_API',
        `the upload URL answered ${answer.status} ${text.slice(0, 120)}`.trim(),
        { userFacing: false },
      );
    }
    return { fileId: res.file_id };
  }

  async shareFile(share: {
    fileId: string;
    title: string;
    channel: string;
    comment: string;
  }): Promise<void> {
    await slackCall(() =>
      this.posts.files.completeUploadExternal({
        files: [{ id: share.fileId, title: share.title }],
        channel_id: share.channel,
        initial_comment: share.comment,
      }),
    );
  }
}
