#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small QMP client for tests/integration/qmp.sh (standard library only).

    qmp-client.py SOCKET OP...

Every message received is printed on one line, as the server sent it.
Operations, in order:
    greeting        read the greeting
    cmd:JSON        send JSON, print messages until its reply (events that
                    come first are printed too)
    raw:TEXT        send TEXT as is (no reply awaited)
    wait:EVENT      print messages until the event EVENT
    idle            print what arrives until the server is quiet for 0.3 s
    big:BYTES       send one message of BYTES bytes while printing replies,
                    until "too large" was seen
    pipeline:N:MS   send N query-status commands in one write, each with a
                    4 KiB id (replies far larger than the socket buffer),
                    read nothing for MS ms, then read the N replies; print
                    "pipeline: N replies"
    bigid:BYTES     send query-status with an id of BYTES characters; print
                    "bigid: BYTES" once its reply arrived whole (its id
                    has all of them)
    eof             print messages until the server closes the connection
    close           close the socket now (e.g. after raw: mid-message)
    sigterm:PID     send SIGTERM to PID
Exits 0, or 1 with a message on stderr (timeout, refused, closed early).
"""
import json
import os
import select
import signal
import socket
import sys
import time

TIMEOUT = 60.0


class Client:
    def __init__(self, path):
        deadline = time.monotonic() + 10
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        self.buf = b""
        self.closed = False

    def _fill(self, timeout):
        r, _, _ = select.select([self.s], [], [], timeout)
        if not r:
            return False
        data = self.s.recv(65536)
        if not data:
            self.closed = True
            return False
        self.buf += data
        return True

    def message(self, timeout=TIMEOUT):
        """The next message (dict), or None on timeout/close."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if self.closed or left <= 0 or not self._fill(left):
                if self.closed or time.monotonic() >= deadline:
                    return None
        line, self.buf = self.buf.split(b"\n", 1)
        text = line.decode().strip()
        print(text, flush=True)
        return json.loads(text)

    def until(self, pred, what):
        while True:
            m = self.message()
            if m is None:
                sys.exit(f"qmp-client: {what}: "
                         f"{'connection closed' if self.closed else 'timeout'}")
            if pred(m):
                return m

    def quiet_message(self):
        """The next message, parsed but not printed (None: closed)."""
        while b"\n" not in self.buf:
            if self.closed or not self._fill(TIMEOUT):
                return None
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def pipeline(self, n, ms):
        pad = "p" * 4096
        cmds = "".join('{"execute":"query-status","id":"%d-%s"}\n' % (i, pad)
                       for i in range(n))
        self.s.setblocking(False)
        data, off = cmds.encode(), 0
        while off < len(data):
            _, w, _ = select.select([], [self.s], [], TIMEOUT)
            if not w:
                sys.exit("qmp-client: pipeline: cannot send")
            off += self.s.send(data[off:])
        self.s.setblocking(True)
        time.sleep(ms / 1000)
        got = 0
        while got < n:
            m = self.quiet_message()
            if m is None:
                sys.exit(f"qmp-client: pipeline: closed after {got} replies")
            if "return" in m and m.get("id", "").startswith(f"{got}-"):
                got += 1
        print(f"pipeline: {got} replies", flush=True)

    def bigid(self, size):
        msg = '{"execute":"query-status","id":"%s"}\n' % ("i" * size)
        self.s.sendall(msg.encode())
        while True:
            m = self.quiet_message()
            if m is None:
                sys.exit("qmp-client: bigid: connection closed")
            if "return" in m or "error" in m:
                print(f"bigid: {len(m.get('id', ''))}", flush=True)
                return

    def big(self, size):
        head = b'{"execute":"query-status","arguments":{"x":"'
        data = head + b"A" * (size - len(head) - 3) + b'"}}'
        off, seen = 0, False
        self.s.setblocking(False)
        while off < len(data) or not seen:
            w = [self.s] if off < len(data) else []
            r, w, _ = select.select([self.s], w, [], TIMEOUT)
            if not r and not w:
                sys.exit("qmp-client: big: timeout")
            if w:
                try:
                    off += self.s.send(data[off:off + 65536])
                except BlockingIOError:
                    pass
            if r:
                chunk = self.s.recv(65536)
                if not chunk:
                    sys.exit("qmp-client: big: connection closed")
                self.buf += chunk
                while b"\n" in self.buf:
                    line, self.buf = self.buf.split(b"\n", 1)
                    if b"too large" in line:
                        print(line.decode().strip(), flush=True)
                        seen = True
        self.s.setblocking(True)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    c = Client(sys.argv[1])
    for op in sys.argv[2:]:
        name, _, arg = op.partition(":")
        if name == "greeting":
            c.until(lambda m: "QMP" in m, "greeting")
        elif name == "cmd":
            c.s.sendall(arg.encode() + b"\n")
            c.until(lambda m: "return" in m or "error" in m, arg)
        elif name == "raw":
            c.s.sendall(arg.encode())
        elif name == "wait":
            c.until(lambda m: m.get("event") == arg, "wait " + arg)
        elif name == "idle":
            while c.message(0.3) is not None:
                pass
        elif name == "big":
            c.big(int(arg))
        elif name == "pipeline":
            n, _, ms = arg.partition(":")
            c.pipeline(int(n), int(ms or 0))
        elif name == "bigid":
            c.bigid(int(arg))
        elif name == "eof":
            while c.message() is not None:
                pass
            if not c.closed:
                sys.exit("qmp-client: eof: timeout")
        elif name == "sigterm":
            os.kill(int(arg), signal.SIGTERM)
        elif name == "close":
            c.s.close()
            return
        else:
            sys.exit(f"qmp-client: unknown operation {op!r}")


if __name__ == "__main__":
    main()
