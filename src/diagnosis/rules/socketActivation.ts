import type { SocketUnit } from '../../domain/ProbeResults';
import { socketUnitPort } from '../../probes/parsers/parseSocketUnits';
import { adviceAction, compact, restartLbAction } from '../actions';
import type { DiagnosisContext, Holder } from '../buildContext';
import { pidAndUser, withLb } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

/** Where distributions install the manager (merged /usr, split /usr, the Nix store). */
const SYSTEMD_EXE =
  /^(\/usr)?\/lib\/systemd\/systemd$|^\/nix\/store\/[^/]+-systemd-[^/]+\/lib\/systemd\/systemd$/;

/**
 * systemd itself: a process named systemd whose executable is the installed manager (pid 1, a
 * user manager, or the init of a system container). Any program can call itself "systemd" and
 * any user can run a binary named so (a copy of python3 in their home): trusting the name would
 * shield that listener from a kill, so only pid 1 with an unreadable executable goes on the name.
 */
function isSystemd(h: Holder): boolean {
  if (h.comm !== 'systemd') return false;
  const exe = h.proc?.exe ?? null;
  return exe === null ? h.pid === 1 : SYSTEMD_EXE.test(exe);
}

/** TCP listens of socket units on the port (systemd prints them as `[::]:80`, `0.0.0.0:80`). */
function unitsOnPort(ctx: DiagnosisContext): SocketUnit[] {
  return (ctx.probes.socketUnits ?? []).filter(
    (u) => u.type === 'Stream' && socketUnitPort(u.listen) === ctx.port,
  );
}

/**
 * A systemd .socket unit owns the port: systemd holds the listening socket and starts the
 * service on the first connection. Killing the holder would kill the service manager, so the
 * fix is the unit (stop and disable it, or move its ListenStream=).
 */
export const socketActivation: Rule = {
  verdict: 'socket-activation',
  evaluate(ctx) {
    // A socket the managed LB shares (the LB's own socket unit passing it on) is not a conflict.
    const holder = ctx.holders.find((h) => isSystemd(h) && !ctx.isManaged(h.pid));
    if (!holder) return null;
    const occupant = toOccupant(holder, ctx.probes);
    const units = unitsOnPort(ctx);
    const names = [...new Set(units.map((u) => u.unit))];
    const activates = [...new Set(units.flatMap((u) => u.activates))];
    const passedTo = holder.socket.owners.filter((o) => o.pid !== holder.pid);
    const unitText =
      names.length > 0
        ? `${names.join(', ')}${activates.length > 0 ? ` (activates ${activates.join(', ')})` : ''}`
        : 'a systemd socket unit';
    const passed =
      passedTo.length > 0
        ? `; the socket is passed on to ${passedTo.map((o) => `${o.comm} (pid ${o.pid})`).join(', ')}`
        : '';
    const disable =
      names.length > 0
        ? adviceAction(
            `Stop and disable ${names.join(', ')} on ${ctx.hostName}`,
            `systemctl disable --now ${names.join(' ')} frees port ${ctx.port} and keeps it free after a reboot` +
              `${activates.length > 0 ? ` (stop ${activates.join(', ')} too if it runs)` : ''}; if the unit must stay, ` +
              `move its ListenStream= off port ${ctx.port}. Never kill ${occupant.comm} (pid ${occupant.pid}): it is the service manager.`,
          )
        : adviceAction(
            `Find the socket unit on port ${ctx.port} of ${ctx.hostName}`,
            `systemctl list-sockets --all --show-types | grep ':${ctx.port} ' names the unit; then systemctl disable --now ` +
              `<unit>.socket, or move its ListenStream= off port ${ctx.port}. Never kill ${occupant.comm} (pid ${occupant.pid}): it is the service manager.` +
              // Not pid 1: a user's manager (its units are listed with --user) or a container's init.
              (occupant.pid !== 1
                ? ` This systemd is not pid 1: it is ${occupant.user ?? 'a user'}'s manager (systemctl --user list-sockets as that user) or the init of a container or PID namespace.`
                : ''),
          );
    return {
      verdict: 'socket-activation',
      summary: withLb(
        `port ${ctx.port} is owned by ${unitText}: systemd (${pidAndUser(occupant)}) holds the listening socket${passed}`,
        ctx,
      ),
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [holder.socket.raw, ...units.map((u) => u.listen)]),
        pickProcessEvidence(ctx.probes, [holder.pid]),
      ),
      actions: compact([disable, restartLbAction(ctx, ' once the socket unit is stopped')]),
    };
  },
};
