#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The host end of the firmware's virtio-net test, on a tap interface
in a network namespace the calling test created: waits (AF_PACKET) for
the firmware's broadcast frame of EtherType 0x88b5 whose payload starts
with sevm-fw-net-tx, prints `tx <len> bytes from <mac>: <payload>`, then
sends a frame of the same EtherType to that MAC with the payload
sevm-fw-net-rx and prints `sent <len> bytes`.
Usage: net-peer.py IFNAME TIMEOUT-SECONDS"""
import socket
import struct
import sys
import time

ETHERTYPE = 0x88B5
TX = b"sevm-fw-net-tx"
RX = b"sevm-fw-net-rx"
PEER_MAC = bytes.fromhex("02736576d002")   # locally administered


def mac_str(m):
    return ":".join("%02x" % b for b in m)


def main():
    ifname, timeout = sys.argv[1], float(sys.argv[2])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETHERTYPE))
    s.bind((ifname, ETHERTYPE))
    print("ready", flush=True)
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            print("timeout: no frame from the firmware", flush=True)
            return 1
        s.settimeout(left)
        try:
            frame = s.recv(2048)
        except socket.timeout:
            continue
        if len(frame) < 14 or struct.unpack("!H", frame[12:14])[0] != \
                ETHERTYPE or not frame[14:].startswith(TX):
            continue
        src = frame[6:12]
        print("tx %d bytes from %s: %s" % (len(frame), mac_str(src),
              frame[14:14 + len(TX)].decode()), flush=True)
        break
    reply = src + PEER_MAC + struct.pack("!H", ETHERTYPE) + RX
    reply += bytes(60 - len(reply))
    s.send(reply)
    print("sent %d bytes" % len(reply), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
