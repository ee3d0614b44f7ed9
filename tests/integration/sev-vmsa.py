#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build the initial SEV-ES VMSA pages a guest owner expects (standard
library only), independently of sevm, for tests/integration/sev.sh.

    sev-vmsa.py FIRMWARE NR_CPUS OUTPREFIX [--rdx HEX]

Writes OUTPREFIX0.bin ... one 4096-byte page per vCPU, in vCPU order, as
virt-qemu-sev-validate and `sevctl vmsa build` reconstruct them from
public inputs (docs/sev-launch.md "SEV-ES: the initial VMSA",
sev-protocol.md 8.3, APM vol. 2 table B-4 offsets):
  - vCPU 0 in the architectural reset state (CS f000 base ffff0000,
    RIP fff0);
  - each AP at the firmware's SEV-ES reset address, read here from the
    image's OVMF GUID footer table (entry 00f771de-...): CS base =
    address & 0xffff0000, RIP = address & 0xffff;
  - RDX = the CPU signature (CPUID.1 EAX), computed from /proc/cpuinfo's
    family/model/stepping unless --rdx is given;
  - the legacy KVM_SEV_ES_INIT FPU values (MXCSR and FCW 0), which is how
    the emulated PSP initialises a guest.
Prints the AP reset address and RDX used.
"""
import struct
import sys
import uuid

FOOTER = uuid.UUID("96b582de-1fb2-45f7-baea-a366c55a082d").bytes_le
ES_RESET = uuid.UUID("00f771de-1a7e-4fcb-890e-68c77e2fb44e").bytes_le


def footer_entries(img):
    """{guid bytes: data} of the OVMF footer table (QEMU's walk)."""
    end = len(img)
    if img[end - 0x30:end - 0x20] != FOOTER:
        sys.exit("sev-vmsa: no OVMF GUID footer table")
    tot = struct.unpack_from("<H", img, end - 0x32)[0] - 18
    base = end - 0x32 - tot
    ptr, out = base + tot, {}
    while ptr >= base + 18:
        guid = img[ptr - 16:ptr]
        n = struct.unpack_from("<H", img, ptr - 18)[0]
        if n < 18 or ptr - n < base:
            sys.exit("sev-vmsa: malformed footer table")
        out[guid] = img[ptr - n:ptr - 18]
        ptr -= n
    return out


def cpu_signature():
    info = {}
    for line in open("/proc/cpuinfo"):
        k, _, v = line.partition(":")
        k = k.strip()
        if k in ("cpu family", "model", "stepping") and k not in info:
            info[k] = int(v.strip())
        if len(info) == 3:
            break
    fam, model, step = info["cpu family"], info["model"], info["stepping"]
    base_fam, ext_fam = (fam, 0) if fam < 0xf else (0xf, fam - 0xf)
    return (ext_fam << 20) | ((model >> 4) << 16) | (base_fam << 8) | \
        ((model & 0xf) << 4) | step


def seg(page, off, sel, attrib, limit, base):
    struct.pack_into("<HHIQ", page, off, sel, attrib, limit, base)


def vmsa(cs_base, rip, rdx):
    p = bytearray(4096)
    for off in (0x00, 0x20, 0x30, 0x40, 0x50):	# ES SS DS FS GS
        seg(p, off, 0, 0x93, 0xffff, 0)
    seg(p, 0x10, 0xf000, 0x9b, 0xffff, cs_base)	# CS
    seg(p, 0x60, 0, 0, 0xffff, 0)		# GDTR
    seg(p, 0x70, 0, 0x82, 0xffff, 0)		# LDTR
    seg(p, 0x80, 0, 0, 0xffff, 0)		# IDTR
    seg(p, 0x90, 0, 0x8b, 0xffff, 0)		# TR
    for off, val in ((0xd0, 0x1000), (0x148, 0x40), (0x158, 0x10),
                     (0x160, 0x400), (0x168, 0xffff0ff0), (0x170, 2),
                     (0x178, rip), (0x268, 0x0007040600070406),
                     (0x310, rdx), (0x3e8, 1)):
        struct.pack_into("<Q", p, off, val)
    return bytes(p)


def main():
    a = sys.argv[1:]
    rdx = None
    if "--rdx" in a:
        i = a.index("--rdx")
        rdx = int(a[i + 1], 16)
        del a[i:i + 2]
    if len(a) != 3:
        sys.exit(__doc__)
    img = open(a[0], "rb").read()
    nr = int(a[1])
    if rdx is None:
        rdx = cpu_signature()
    es = footer_entries(img).get(ES_RESET)
    ap = struct.unpack("<I", es[:4])[0] if es else 0
    if nr > 1 and not ap:
        sys.exit("sev-vmsa: the firmware has no SEV-ES reset block")
    for i in range(nr):
        if i == 0:
            page = vmsa(0xffff0000, 0xfff0, rdx)
        else:
            page = vmsa(ap & 0xffff0000, ap & 0xffff, rdx)
        open(f"{a[2]}{i}.bin", "wb").write(page)
    print(f"ap-reset 0x{ap:x} rdx 0x{rdx:x}")


if __name__ == "__main__":
    main()
