#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The host side of a vsock test against sevm's uds (docs/virtio.md).

  vsock-host.py connect UDS PORT MESSAGE [TIMEOUT]
      host -> guest: CONNECT PORT, expect "OK <hostport>", send MESSAGE,
      expect it echoed back by the guest; exit 0, else 1.
  vsock-host.py serve UDS PORT [COUNT] [TIMEOUT]
      guest -> host: listen on UDS_PORT (0600), echo every connection's
      bytes back until it closes; exit 0 after COUNT connections (1).

Prints one line per step. Exit 1 on any mismatch or timeout.
"""
import os
import socket
import sys


def connect(uds, port, msg, timeout):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(uds)
    s.sendall(b"CONNECT %d\n" % port)
    line = b""
    while not line.endswith(b"\n"):
        d = s.recv(1)
        if not d:
            print("vsock-host: CONNECT %d refused (closed)" % port)
            return 1
        line += d
    if not line.startswith(b"OK "):
        print("vsock-host: CONNECT %d: unexpected %r" % (port, line))
        return 1
    print("vsock-host: connected to guest port %d from host port %s"
          % (port, line[3:].decode().strip()))
    s.sendall(msg)
    got = b""
    while len(got) < len(msg):
        d = s.recv(len(msg) - len(got))
        if not d:
            break
        got += d
    ok = got == msg
    print("vsock-host: echo %s (%d of %d bytes)"
          % ("ok" if ok else "MISMATCH", len(got), len(msg)))
    return 0 if ok else 1


def serve(uds, port, count, timeout):
    path = "%s_%d" % (uds, port)
    old = os.umask(0o177)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.umask(old)
    listener.listen(8)
    listener.settimeout(timeout)
    try:
        for _ in range(count):
            c, _ = listener.accept()
            c.settimeout(timeout)
            n = 0
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
                n += len(d)
            c.close()
            print("vsock-host: echoed %d bytes on host port %d" % (n, port))
    finally:
        listener.close()
        os.unlink(path)
    return 0


def main(argv):
    try:
        if len(argv) >= 5 and argv[1] == "connect":
            t = float(argv[5]) if len(argv) > 5 else 30
            return connect(argv[2], int(argv[3]), argv[4].encode(), t)
        if len(argv) >= 4 and argv[1] == "serve":
            n = int(argv[4]) if len(argv) > 4 else 1
            t = float(argv[5]) if len(argv) > 5 else 30
            return serve(argv[2], int(argv[3]), n, t)
    except (OSError, socket.timeout) as e:
        print("vsock-host: %s" % e)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
