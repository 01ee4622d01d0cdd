import { adviceAction } from '../actions';
import { derivedEvidence, mergeEvidence, pickEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { hostOf } from '../../probes/normalizeListen';
import { latestBindFailure } from './permissionDenied';

export const addressNotAvailable: Rule = {
  verdict: 'address-not-available',
  evaluate(ctx) {
    const failure = latestBindFailure(ctx, 'addressNotAvailable');
    if (!failure || !ctx.lb) return null;
    const kind = ctx.lb.runbook.kind;
    const ip = hostOf(failure.address);
    const v6 = ip.includes(':');
    const sysctl = v6 ? 'net.ipv6.ip_nonlocal_bind' : 'net.ipv4.ip_nonlocal_bind';
    const nonlocal = v6 ? ctx.probes.sysctls.ipv6NonlocalBind : ctx.probes.sysctls.ipNonlocalBind;
    const nonlocalText = `${sysctl.replace(/^net\./, '')}=${nonlocal ?? 'unknown'}`;
    const ha = ctx.ha;
    let why: string;
    if (ha && ip === ha.vip) {
      why = ha.holdsVip
        ? `${ip} is the VIP of ${ha.group} and this node holds it now (${ha.role}), so the failure predates the takeover`
        : `${ip} is the VIP of ${ha.group} and this node (${ha.role}) does not hold it; ${nonlocalText}`;
    } else {
      why = `${ip} is not an address of ${ctx.hostName}; ${nonlocalText}`;
    }
    const lines = pickEvidence(ctx.probes, [
      failure.line,
      'ip_nonlocal_bind',
      ...(ha ? [ha.vip] : []),
    ]);
    return {
      verdict: 'address-not-available',
      summary: `${kind} cannot bind ${failure.address}: address not available (errno 99) — ${why}`,
      occupant: null,
      evidence: lines.length > 0 ? mergeEvidence(lines) : [derivedEvidence('lb-log', failure.line)],
      actions: [
        adviceAction(
          ha && ip === ha.vip
            ? `Let ${kind} bind the VIP ${ip} before it arrives`
            : `Fix the listen address ${failure.address}`,
          `${ha && ip === ha.vip && ha.holdsVip ? `This node holds ${ip} now: start or reload ${kind} and check it listens. ` : ''}` +
            `Set sysctl -w ${sysctl}=1 and persist it in /etc/sysctl.d/60-portbot-nonlocal-bind.conf (the usual setup ` +
            `on keepalived pairs, so the BACKUP can bind the VIP in advance), or listen on the wildcard address; ` +
            `otherwise configure ${ip} on an interface (ip -br addr shows what ${ctx.hostName} has).`,
        ),
      ],
    };
  },
};
