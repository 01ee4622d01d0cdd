/** Small /usr/bin/python3 programs the scenarios run; parameters come in through sys.argv only. */

/**
 * argv: MARK ADDRESS PORT. Accepts connections and keeps them open until the other side closes
 * (then closes too, so a host reset leaves no FIN-WAIT behind).
 */
export const PEER_PY = `import selectors, socket, sys
sel = selectors.DefaultSelector()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2], int(sys.argv[3])))
s.listen(128)
sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        if key.fileobj is s:
            c, _ = s.accept()
            sel.register(c, selectors.EVENT_READ)
            continue
        try:
            data = key.fileobj.recv(4096)
        except OSError:
            data = b''
        if not data:
            sel.unregister(key.fileobj)
            key.fileobj.close()
`;

/** argv: ADDRESS PORT. One outbound connection kept ESTABLISHED with a kernel-chosen local port. */
export const CLIENT_PY = `import socket, sys, time
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
time.sleep(10**9)
`;

/**
 * argv: ADDRESS PORT COUNT. A short-lived server on PORT that closes each accepted connection
 * first, so the server side (local port = PORT) ends in TIME-WAIT; then it exits.
 */
export const TIME_WAIT_PY = `import socket, sys
addr, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('0.0.0.0', port))
srv.listen(16)
for _ in range(n):
    c = socket.create_connection((addr, port))
    a, _ = srv.accept()
    a.close()
    c.recv(1)
    c.close()
srv.close()
`;

/**
 * argv: PORT. Listens on 0.0.0.0:PORT with SO_REUSEPORT (joining an LB that set it too) and
 * answers every connection with a short HTTP reply naming itself, so a client can tell who served it.
 */
export const REUSEPORT_PY = `import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(('0.0.0.0', int(sys.argv[1])))
s.listen(64)
while True:
    c, _ = s.accept()
    c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Length: 16\\r\\n\\r\\nnot the LB here\\n')
    c.close()
`;

/**
 * argv: MARK ADDRESS PORT COUNT. Opens COUNT connections and keeps them open, sending nothing,
 * until killed; the open-files limit is raised to its hard limit first.
 */
export const BUSY_CLIENTS_PY = `import resource, socket, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
addr, port, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
conns = [socket.create_connection((addr, port), timeout=30) for _ in range(n)]
print('connected', len(conns), flush=True)
time.sleep(10**9)
`;
