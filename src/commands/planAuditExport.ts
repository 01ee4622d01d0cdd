import type { AuditRange } from '../audit/AuditLog';
import { parseExportOptions } from '../audit/export/parseExportOptions';
import { isPortbotError } from '../domain/PortbotError';
import { AUDIT_EXPORT_USAGE } from '../ingress/slashCommand/PortCommand';
import { renderError } from '../render/slack/renderError';
import { exportAuditToSlack } from './exportAuditToSlack';
import type { PortCommandDeps, PortCommandPlan, PortCommandRequest } from './PortCommandDeps';
import { refusePortCommand } from './refusePortCommand';

/**
 * `/port audit export [--since …]`: `--since` is read against the clock now, with the CLI's and
 * the HTTP export's own parser, and a bad value is refused before the ack. Whether the person
 * is an auditor needs their user groups (a Slack call), so that and the export come after it.
 */
export function planAuditExport(
  deps: PortCommandDeps,
  req: PortCommandRequest,
  since: string | null,
): PortCommandPlan {
  let range: AuditRange;
  try {
    range = parseExportOptions(
      since === null ? {} : { since },
      deps.now(),
      // Only --since is offered in Slack; the other names never show in an error.
      { since: '--since', until: '--until', format: '--format' },
    ).range;
  } catch (err) {
    if (!isPortbotError(err)) throw err;
    return refusePortCommand(deps, req, err.message, renderError(err.message, AUDIT_EXPORT_USAGE));
  }
  return { afterAck: () => exportAuditToSlack(deps, req, range) };
}
