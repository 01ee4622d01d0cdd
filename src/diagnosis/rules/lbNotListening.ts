import {
  derivedEvidence,
  lbStateEvidence,
  mergeEvidence,
  socketProbeEvidence,
} from '../pickEvidence';
import type { Rule } from '../Rule';

export const lbNotListening: Rule = {
  verdict: 'lb-not-listening',
  evaluate(ctx) {
    if (!ctx.lb || !ctx.lbState?.running || ctx.lbState.listening || ctx.listeners.length > 0)
      return null;
    const { kind, commands } = ctx.lb.runbook;
    const pid = ctx.lbState.pid;
    const evidence = mergeEvidence(socketProbeEvidence(ctx.probes), lbStateEvidence(ctx.probes));
    return {
      verdict: 'lb-not-listening',
      summary: `${kind} is running (pid ${pid ?? '?'}) but nothing listens on port ${ctx.port}`,
      occupant: null,
      evidence:
        evidence.length > 0
          ? evidence
          : [
              derivedEvidence(
                'sockets',
                `no socket in LISTEN state on port ${ctx.port}; ${kind} managed pid ${pid ?? '?'}`,
              ),
            ],
      actions: [
        {
          kind: 'reload-lb',
          risk: 'low',
          title: `Reload ${kind} on ${ctx.hostName}`,
          // nginx -s reload exits 0 even when the new bind fails: only ss tells.
          detail: `${commands.reload}; then check that ${kind} listens on port ${ctx.port} (a reload can report success while the bind failed) and read its error log`,
        },
      ],
    };
  },
};
