import { diagnose } from '../../../src/diagnosis/diagnose';
import { defaultRunbooksDir } from '../../../src/config/loadRunbooks';
import { loadProtectedAgents } from '../../../src/config/loadProtectedAgents';
import { diagnoseInput } from '../../support/factories/diagnoseInput';
import {
  lbProbe,
  listener,
  owner,
  probeResults,
  processInfo,
} from '../../support/factories/probeResults';

/**
 * Found by the issue 11 review: a rogue program borrows a protected agent's process name (prctl PR_SET_NAME,
 * or `exec -a`) to dodge the kill button.
 */
const AGENTS = loadProtectedAgents(defaultRunbooksDir());

function onPort443(proc: ReturnType<typeof processInfo>) {
  return {
    ...diagnoseInput(
      probeResults({
        port: 443,
        sockets: [listener(443, [owner(proc.comm, proc.pid, 3)])],
        processes: [proc],
        lb: lbProbe({ managedPid: null }),
      }),
    ),
    protectedAgents: AGENTS,
  };
}

it('a python3 (from /usr/bin) that renamed itself node_exporter is not protected: kill offered', () => {
  const rogue = processInfo({
    pid: 31,
    comm: 'node_exporter',
    exe: '/usr/bin/python3.11',
    cmdline: 'python3 -m http.server 443',
  });
  const d = diagnose(onPort443(rogue));
  expect(d.verdict).toBe('foreign-listener');
  expect(d.actions.map((a) => a.kind)).toContain('kill-occupant');
});

it('the real agent still is protected, and so is a comm match whose executable is unreadable', () => {
  const real = processInfo({ pid: 23, comm: 'node_exporter', exe: '/usr/local/bin/node_exporter' });
  expect(diagnose(onPort443(real)).verdict).toBe('protected-occupant');
  const unreadable = processInfo({ pid: 24, comm: 'node_exporter', exe: null });
  expect(diagnose(onPort443(unreadable)).verdict).toBe('protected-occupant');
});
