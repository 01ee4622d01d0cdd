import type { AuditDetailValue } from '../audit/AuditEvent';
import type { AuditRange } from '../audit/AuditLog';
import { collectAuditExport, type CollectedAuditExport } from '../audit/export/collectAuditExport';
import { mayExportAudit } from '../policy/mayExportAudit';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import { renderError } from '../render/slack/renderError';
import { renderNotice } from '../render/slack/renderNotice';
import { auditPortCommand } from './auditPortCommand';
import type { PortCommandDeps, PortCommandRequest } from './PortCommandDeps';

const NOT_AUDITOR = renderError(
  'Only auditors may export the audit log.',
  'Ask your portbot admin to add you (or one of your user groups) to auditors in the policy.',
);
const SCOPES_HINT = 'The Slack app needs the files:write and im:write scopes.';

/** Where an export stopped, for the audit entry and the person's answer. */
type Stage = 'read' | 'open-dm' | 'upload' | 'audit' | 'share';

/**
 * After the ack: the auditor check, the export (JSONL, the bytes `portbot audit export` writes),
 * then the file to the person's DM with the bot, never the channel the command was typed in,
 * which others may read. The `audit.exported` entry is appended after the upload (it names the
 * file) and before the file is shared: if it cannot be written the file is never shared, and
 * Slack discards an upload that is never completed. Answers the person with an ephemeral.
 */
export async function exportAuditToSlack(
  deps: PortCommandDeps,
  req: PortCommandRequest,
  range: AuditRange,
): Promise<SlackMessage> {
  const x = deps.auditExport;
  // Groups Slack could not list count as none: an export is refused, never assumed.
  const groups = await x.userGroups(req.userId).catch((): readonly string[] => []);
  if (!mayExportAudit(deps.policy, req.userId, groups)) {
    await auditPortCommand(deps, req, refusal('not an auditor'));
    return NOT_AUDITOR;
  }
  const since = range.since?.toISOString() ?? null;
  const base = { channel: req.channelId, text: req.text.slice(0, 300), since, format: 'jsonl' };
  let stage: Stage = 'read';
  let sent: { fileId: string | null; sha256: string | null } = { fileId: null, sha256: null };
  try {
    let malformed = 0;
    const events = x.auditLog.read(range, (id, error) => {
      malformed += 1;
      deps.log.warn({ id, error }, 'audit export skipped a malformed entry');
    });
    const collected = await collectAuditExport(events, 'jsonl', x.maxBytes);
    if (!collected.ok) {
      const mib = Math.floor(collected.maxBytes / 1024 / 1024);
      await auditPortCommand(deps, req, refusal(`export larger than ${mib} MiB`));
      return renderError(
        `The export is larger than ${mib} MiB, too large to send in Slack.`,
        'Narrow it with --since, or use `portbot audit export` or GET /audit/export.',
      );
    }
    const file = collected.export;
    if (file.count === 0) {
      await auditPortCommand(deps, req, { ...run(), detail: { since, count: 0 } });
      return renderNotice(`No audit events ${since ? `since ${since}` : 'yet'}: nothing to send.`);
    }
    sent = { fileId: null, sha256: file.sha256 };
    stage = 'open-dm';
    const dm = await x.slack.openDm(req.userId);
    stage = 'upload';
    const { fileId } = await x.slack.uploadFile({
      filename: fileName(deps.now()),
      content: file.content,
    });
    sent = { fileId, sha256: file.sha256 };
    stage = 'audit';
    await x.auditLog.append({
      type: 'audit.exported',
      actor: req.userId,
      incidentId: null,
      host: null,
      port: null,
      detail: { ...base, ...facts(file), malformed, fileId, dmChannel: dm },
    });
    stage = 'share';
    await x.slack.shareFile({
      fileId,
      title: title(file, since),
      channel: dm,
      comment: comment(req, file, since),
    });
    deps.log.info({ user: req.userId, count: file.count, fileId }, 'audit export sent');
    return renderNotice(
      `📤 Sent the audit log to your DM with portbot: ${file.count} events (seq ${file.firstSeq}–${file.lastSeq}), sha256 ${file.sha256}.`,
    );
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    deps.log.error({ user: req.userId, stage, err: error }, 'audit export failed');
    await deps.audit({
      type: 'audit.export.failed',
      actor: req.userId,
      incidentId: null,
      host: null,
      port: null,
      detail: { ...base, stage, error: error.slice(0, 300), ...sent },
    });
    return failure(stage, error);
  }
}

function refusal(reason: string) {
  return {
    type: 'command.refused' as const,
    incidentId: null,
    host: null,
    port: null,
    detail: { reason },
  };
}

function run() {
  return { type: 'command.run' as const, incidentId: null, host: null, port: null };
}

function facts(file: CollectedAuditExport): Record<string, AuditDetailValue> {
  return {
    count: file.count,
    firstSeq: file.firstSeq,
    lastSeq: file.lastSeq,
    bytes: file.content.length,
    sha256: file.sha256,
  };
}

/** portbot-audit-20261121T100214Z.jsonl: sorts by time, no characters a file system minds. */
function fileName(now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `portbot-audit-${stamp}.jsonl`;
}

function title(file: CollectedAuditExport, since: string | null): string {
  return `portbot audit log, ${file.count} events ${since ? `since ${since}` : 'from the first'}`;
}

function comment(
  req: PortCommandRequest,
  file: CollectedAuditExport,
  since: string | null,
): string {
  return [
    `Audit log export for <@${req.userId}>: ${file.count} events, seq ${file.firstSeq}–${file.lastSeq}${since ? `, since ${since}` : ''}.`,
    `sha256 of the file: ${file.sha256} (recorded in the audit log as audit.exported).`,
    'One event per line as canonical JSON; each line carries its hash and the previous one.',
  ].join('\n');
}

function failure(stage: Stage, error: string): SlackMessage {
  if (stage === 'read') {
    return renderError(
      `The audit log could not be read (${error}).`,
      'Nothing was sent. Try again later.',
    );
  }
  if (stage === 'audit') {
    return renderError(
      'The export could not be recorded in the audit log, so it was not sent.',
      'Nothing was shared. Try again later.',
    );
  }
  if (stage === 'share') {
    // A completion whose answer was lost may still have shared the file.
    return renderError(
      `Slack did not confirm sharing the export (${error}).`,
      `Look in your DM with portbot before you try again. ${SCOPES_HINT}`,
    );
  }
  return renderError(`Slack refused the export (${error}). Nothing was shared.`, SCOPES_HINT);
}
