import type { HostConfig } from '../domain/HostConfig';
import { auditPortCommand } from './auditPortCommand';
import type { PortCommandDeps, PortCommandRequest } from './PortCommandDeps';

/** `/port check <host> <port>`: its own incident and thread, diagnosed by one job. */
export async function startHostCheck(
  deps: PortCommandDeps,
  req: PortCommandRequest,
  target: { host: HostConfig; port: number },
): Promise<void> {
  const check = await deps.incidents.openCheck({
    host: target.host.name,
    port: target.port,
    channel: req.channelId,
    summary: `/port ${req.text.slice(0, 200)}`,
    requestedBy: req.userId,
    now: deps.now(),
  });
  await deps.queue.enqueueDiagnose(check.id, { first: true });
  await auditPortCommand(deps, req, {
    type: 'command.run',
    incidentId: check.id,
    host: target.host.name,
    port: target.port,
  });
  deps.log.info(
    { checkId: check.id, host: target.host.name, port: target.port, user: req.userId },
    'check queued',
  );
}
