import type { AuditLog } from '../audit/AuditLog';

/** A file uploaded to Slack but not yet shared (Slack discards it if it is never completed). */
export interface UploadedFile {
  fileId: string;
}

/** The Slack calls of `/port audit export`; the WebClient adapters in src/slack implement them. */
export interface AuditExportSlack {
  /** conversations.open (scope `im:write`): the bot's DM channel with this user. */
  openDm(userId: string): Promise<string>;
  /** files.getUploadURLExternal, then the bytes POSTed to its upload URL (scope `files:write`). */
  uploadFile(file: { filename: string; content: Uint8Array }): Promise<UploadedFile>;
  /** files.completeUploadExternal: shares the uploaded file into one channel, with a comment. */
  shareFile(share: {
    fileId: string;
    title: string;
    channel: string;
    comment: string;
  }): Promise<void>;
}

/** What an audit export needs besides the /port deps, injected at start-up. */
export interface AuditExportDeps {
  /** The log itself, not RecordAudit: the export's own entry must be written before sharing. */
  auditLog: AuditLog;
  /** The user's Slack user groups (usergroups.users.list, cached briefly); [] when unavailable. */
  userGroups: (userId: string) => Promise<readonly string[]>;
  slack: AuditExportSlack;
  /** Larger exports are refused: the file is built in memory, since Slack wants its length first. */
  maxBytes: number;
}
