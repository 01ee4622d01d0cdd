import type { AuditDetailValue } from '../audit/AuditEvent';
import type { PortCommandDeps, PortCommandRequest } from './PortCommandDeps';

/** The one shape of a `/port` audit entry: who, where, what they typed, and what came of it. */
export function auditPortCommand(
  deps: Pick<PortCommandDeps, 'audit'>,
  req: PortCommandRequest,
  outcome: {
    type: 'command.run' | 'command.refused';
    incidentId: string | null;
    host: string | null;
    port: number | null;
    detail?: Record<string, AuditDetailValue>;
  },
): Promise<void> {
  return deps.audit({
    type: outcome.type,
    actor: req.userId,
    incidentId: outcome.incidentId,
    host: outcome.host,
    port: outcome.port,
    detail: { channel: req.channelId, text: req.text.slice(0, 300), ...outcome.detail },
  });
}
