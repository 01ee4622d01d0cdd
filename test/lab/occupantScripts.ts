/** /usr/bin/python3 programs for the issue-11 occupant scenarios; parameters through sys.argv only. */

/**
 * argv: ADDRESS PORT. Connects to ADDRESS:PORT (where nothing listens) again and again until
 * the kernel hands it PORT as its source port and the socket connects to itself; keeps it.
 */
export const SELF_CONNECT_PY = `import socket, sys, time
addr, port = sys.argv[1], int(sys.argv[2])
while True:
    s = socket.socket()
    try:
        s.connect((addr, port))
    except OSError:
        s.close()
        continue
    if s.getsockname() == s.getpeername():
        break
    s.close()
time.sleep(10**9)
`;

/**
 * A stand-in for Prometheus' node exporter, installed as an executable named node_exporter so
 * that its process name is the real one's: listens where --web.listen-address=[HOST]:PORT says.
 */
export const NODE_EXPORTER_PY = `#!/usr/bin/python3
import socket, sys, time
addr = next(a.split('=', 1)[1] for a in sys.argv[1:] if a.startswith('--web.listen-address='))
host, port = addr.rsplit(':', 1)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host or '0.0.0.0', int(port)))
s.listen(16)
while True:
    time.sleep(3600)
`;

/**
 * argv: PORT HOLD_MS PERIOD_MS FIRST_HOLD_MS. Binds and listens on PORT for HOLD_MS every
 * PERIOD_MS (a scanner or agent that takes the port briefly); the first hold lasts FIRST_HOLD_MS,
 * long enough for a scenario to start the LB into it. A failed bind waits for the next period.
 */
export const BRIEF_BINDER_PY = `import socket, sys, time
port, hold, period = int(sys.argv[1]), int(sys.argv[2]) / 1000, int(sys.argv[3]) / 1000
first = int(sys.argv[4]) / 1000
while True:
    start = time.monotonic()
    s = socket.socket()
    try:
        s.bind(('0.0.0.0', port))
        s.listen(16)
        time.sleep(first or hold)
    except OSError:
        pass
    s.close()
    # After the first, long hold a whole free gap (period - hold) follows, as after any other:
    # a snapshot taken when the port comes free must not land in the next hold.
    busy = hold if first else time.monotonic() - start
    first = 0
    time.sleep(max(0, period - busy))
`;
