#!/usr/bin/env python3
"""Compare two ppc64 crash loads' segments byte for byte: "ok|fail MESSAGE" lines.

    crash-bytes.py [--own-purgatory] TABLE ENTRY KDIR ODIR PAYLOAD

TABLE: the segment table both loads share, one "bufsz mem memsz" line per
segment (hex), in load order; ENTRY: the purgatory's address (its segment
starts there). KDIR/segment-N.bin: the kernel's bytes of segment N, ODIR/...:
the other load's; segment 0, the kernel, is PAYLOAD's first PT_LOAD for both
when its file is absent. The ELF core headers, backup and initrd must be
equal; the device tree (the segment that starts with the FDT magic) equal but
for the values of /chosen's kaslr-seed and rng-seed; the purgatory equal but
for its 32-byte digest, which must be the SHA-256 of its own load's other
segments, each padded with zeros to memsz. With --own-purgatory the other
load's purgatory is ukexec's own (purgatory/arch/ppc64): its size may differ
and only its digest is checked (the SHA-256 of its load's other segments),
and bytes 4-0xff, the next kernel's slave code and run_at_load, must be the
kernel purgatory's.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from memcompare import masked  # noqa: E402
from ppc64bytes import FDT_MAGIC, fdt_seeds, segments_sha256  # noqa: E402


def out(good, msg):
    print("ok" if good else "fail", msg)


def main(table, entry, kdir, odir, payload, own=False):
    segs = [tuple(int(x, 16) for x in line.split()) for line in open(table) if line.strip()]
    entry = int(entry, 16)
    b = open(payload, "rb").read()
    phoff, = struct.unpack_from("<Q", b, 0x20)
    off, _, _, filesz = struct.unpack_from("<QQQQ", b, phoff + 8)
    kernel = b[off:off + filesz]

    def reader(d):
        def get(i):
            try:
                return open("%s/segment-%d.bin" % (d, i), "rb").read()
            except FileNotFoundError:
                if i == 0:
                    return kernel
                raise
        return get

    kget, oget = reader(kdir), reader(odir)
    pur = [i for i, (_, mem, _) in enumerate(segs) if mem == entry]
    if len(pur) != 1:
        out(False, "no segment at the entry 0x%x" % entry)
        return

    def digest(get):
        return segments_sha256(segs, get, pur[0])

    for i, (bufsz, mem, memsz) in enumerate(segs):
        if i == 0:
            continue
        k, o = kget(i), oget(i)
        if own and i == pur[0]:
            kd, od = digest(kget), digest(oget)
            out(k.find(kd) >= 0, "the kernel's purgatory holds the SHA-256 of its segments")
            out(o.find(od) >= 0, "our purgatory (0x%x bytes at 0x%x) holds the SHA-256 of its load's "
                "other segments" % (len(o), mem))
            out(k[4:0x100] == o[4:0x100], "our purgatory's bytes 4-0xff (slave code, the word at 0x5c = 0x%x) = "
                "the kernel purgatory's" % struct.unpack_from("<I", o, 0x5c))
        elif len(k) != bufsz or len(o) != bufsz:
            out(False, "segment %d at 0x%x: 0x%x and 0x%x bytes, not 0x%x" % (i, mem, len(k), len(o), bufsz))
        elif k[:4] == FDT_MAGIC:
            ks, os_ = fdt_seeds(k), fdt_seeds(o)
            out(len(ks) == 2 and ks == os_ and masked(k, ks) == masked(o, os_),
                "device tree (0x%x bytes at 0x%x) = the kernel's but the seeds %s" % (len(k), mem, ks))
        elif i == pur[0]:
            kd, od = digest(kget), digest(oget)
            at = k.find(kd)
            out(at >= 0, "the kernel's purgatory holds the SHA-256 of its segments (at 0x%x)" % at)
            out(at >= 0 and o[at:at + 32] == od and masked(k, [(at, 32)]) == masked(o, [(at, 32)]),
                "purgatory (0x%x bytes at 0x%x, relocated, symbols set) = the kernel's but the digest, "
                "each the SHA-256 of its own load's segments" % (len(k), mem))
        else:
            out(k == o, "segment %d (0x%x bytes at 0x%x) = the kernel's" % (i, len(k), mem))


if __name__ == "__main__":
    own = sys.argv[1:2] == ["--own-purgatory"]
    args = sys.argv[2:] if own else sys.argv[1:]
    if len(args) != 5:
        sys.exit(__doc__)
    main(*args, own=own)
