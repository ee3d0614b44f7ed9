#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The host side of a virtio-net test on a tap (run it inside the test's
own network namespace; it needs CAP_NET_RAW there, no address anywhere).

  net-host.py send IFACE DST_MAC PAYLOAD
      one Ethernet frame on IFACE: DST_MAC, source 02:00:00:00:00:01,
      type 0x88b5 (IEEE local experimental), PAYLOAD (padded to 60 bytes).
  net-host.py recv IFACE SRC_MAC [TIMEOUT]
      wait for a frame from SRC_MAC on IFACE; print
      "frame <len> type <hex> payload <text>"; exit 1 on timeout.

The guest-side firmware test sends and expects the same kind of frame
(type 0x88b5) so nothing else on the tap is mistaken for it.
"""
import socket
import sys
import time

ETH_P_ALL = 0x0003
TYPE = 0x88B5
SRC = bytes.fromhex("020000000001")


def mac(text):
    return bytes.fromhex(text.replace(":", ""))


def send(iface, dst, payload):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    frame = mac(dst) + SRC + TYPE.to_bytes(2, "big") + payload
    frame += bytes(max(0, 60 - len(frame)))
    s.send(frame)
    print("net-host: sent %d bytes to %s on %s" % (len(frame), dst, iface))
    return 0


def recv(iface, src, timeout):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    end = time.monotonic() + timeout
    want = mac(src)
    while time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            f = s.recv(65536)
        except socket.timeout:
            break
        if len(f) >= 14 and f[6:12] == want:
            t = int.from_bytes(f[12:14], "big")
            text = f[14:].rstrip(b"\0").decode(errors="replace")
            print("net-host: frame %d type %04x payload %s"
                  % (len(f), t, text))
            return 0
    print("net-host: no frame from %s on %s in %gs" % (src, iface, timeout))
    return 1


def main(argv):
    if len(argv) == 5 and argv[1] == "send":
        return send(argv[2], argv[3], argv[4].encode())
    if len(argv) in (4, 5) and argv[1] == "recv":
        return recv(argv[2], argv[3], float(argv[4]) if len(argv) > 4
                    else 30)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
