import { parseOneLineResults } from '../../../bench/runAnsible';

// Real `ansible all -m raw -a ... -o` output (ansible-core 2.14, lab hosts): two hosts ran the
// command to exit 0, one exited 3, one could not be reached.
const CAPTURED = [
  'bench-bad | UNREACHABLE!: Failed to connect to the host via ssh: ssh: connect to host 10.77.1.4 port 2222: Connection refused',
  'bench-01 | CHANGED | rc=0 | (stdout) a\\r\\nb\\r\\nok\\r\\n',
  'bench-02 | FAILED! => {"changed": true,"msg": "non-zero return code","rc": 3,"stderr": "","stderr_lines": [],"stdout": "a\\r\\nb\\r\\n","stdout_lines": ["a","b"]}',
  'bench-03 | CHANGED | rc=0 | (stdout) a\\r\\nb\\r\\nok\\r\\n',
  '',
].join('\n');

test('only hosts that exited 0 count; the first other line is kept', () => {
  const r = parseOneLineResults(CAPTURED, ['bench-01', 'bench-02', 'bench-03', 'bench-bad']);
  expect([...r.succeeded].sort()).toEqual(['bench-01', 'bench-03']);
  expect(r.firstFailure).toMatch(/^bench-bad \| UNREACHABLE!/);
});

test('a host outside the inventory does not count, and all good means no failure line', () => {
  const good = CAPTURED.split('\n')
    .filter((l) => l.includes('| CHANGED |'))
    .join('\n');
  expect(parseOneLineResults(good, ['bench-01', 'bench-03']).firstFailure).toBeUndefined();
  expect([...parseOneLineResults(good, ['bench-01']).succeeded]).toEqual(['bench-01']);
});
