#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The host end of the firmware's vsock test against sevm's vsock device
(Firecracker's UNIX-socket model): an echo server on UDS_1234 for the
guest's connection to host port 1234; then, once the firmware printed
`virtio-vsock: listening on port 5000` on the serial file, a connection
through UDS with `CONNECT 5000\\n`, which must answer `OK <port>\\n`, and
a line that the firmware must echo. One result line per direction.
Usage: vsock-peer.py UDS SERIAL-FILE TIMEOUT-SECONDS"""
import os
import socket
import sys
import threading
import time

HOST_PORT = 1234
GUEST_PORT = 5000
HELLO = b"sevm-host-hello"


def echo_server(path, deadline):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o077)
    srv.bind(path)
    os.umask(old)
    srv.listen(1)
    srv.settimeout(max(deadline - time.monotonic(), 0.1))
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        print("guest-to-host: no connection on %s" % path, flush=True)
        return
    conn.settimeout(max(deadline - time.monotonic(), 0.1))
    got = b""
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                break
            got += data
            conn.sendall(data)
    except (socket.timeout, OSError):
        pass
    print("guest-to-host: echoed %r" % got.decode(errors="replace"),
          flush=True)


def wait_listening(serial, deadline):
    want = "virtio-vsock: listening on port %d" % GUEST_PORT
    while time.monotonic() < deadline:
        try:
            with open(serial, errors="replace") as f:
                if want in f.read():
                    return True
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    return False


def recv_line(s):
    line = b""
    while not line.endswith(b"\n") and len(line) < 64:
        c = s.recv(1)
        if not c:
            break
        line += c
    return line.decode(errors="replace").strip()


def host_to_guest(uds, serial, deadline):
    if not wait_listening(serial, deadline):
        print("host-to-guest: the firmware never listened", flush=True)
        return
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(max(deadline - time.monotonic(), 0.1))
    try:
        s.connect(uds)
        s.sendall(b"CONNECT %d\n" % GUEST_PORT)
        ok = recv_line(s)
        s.sendall(HELLO)
        got = b""
        while len(got) < len(HELLO):
            data = s.recv(4096)
            if not data:
                break
            got += data
    except (socket.timeout, OSError) as e:
        print("host-to-guest: %s" % e, flush=True)
        return
    print("host-to-guest: %s, echo %r" % (ok, got.decode(errors="replace")),
          flush=True)


def main():
    uds, serial, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    deadline = time.monotonic() + timeout
    t = threading.Thread(target=echo_server,
                         args=("%s_%d" % (uds, HOST_PORT), deadline))
    t.start()
    print("ready", flush=True)
    host_to_guest(uds, serial, deadline)
    t.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
