import { adviceAction } from '../actions';
import { withLb } from '../describe';
import { mergeEvidence, pickEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';

export const timeWaitOnly: Rule = {
  verdict: 'time-wait-only',
  evaluate(ctx) {
    if (ctx.listeners.length > 0) return null;
    const onPort = ctx.probes.sockets.filter((s) => s.localPort === ctx.port && s.netid !== 'udp');
    const timeWait = onPort.filter((s) => s.state === 'TIME-WAIT');
    if (timeWait.length === 0 || timeWait.length !== onPort.length) return null;
    const start = ctx.lb
      ? `Start ${ctx.lb.runbook.kind} (${ctx.lb.runbook.commands.start}): TIME-WAIT sockets do not stop it from binding port ${ctx.port}`
      : 'Nothing to free: they expire within about 60 s';
    return {
      verdict: 'time-wait-only',
      summary: withLb(
        `nothing listens on port ${ctx.port}; only ${timeWait.length} TIME-WAIT socket${timeWait.length === 1 ? '' : 's'} remain, which do not block a listener using SO_REUSEADDR`,
        ctx,
      ),
      occupant: null,
      evidence: mergeEvidence(
        pickEvidence(
          ctx.probes,
          timeWait.slice(0, 20).map((s) => s.raw),
        ),
      ),
      actions: [
        adviceAction(
          'TIME-WAIT is not a bind blocker',
          `${start}. nginx and HAProxy set SO_REUSEADDR; only a program that does not would fail with errno 98.`,
        ),
      ],
    };
  },
};
