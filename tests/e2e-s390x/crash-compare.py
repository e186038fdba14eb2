#!/usr/bin/env python3
"""Compare two s390x kdump loads of the same machine byte for byte
(tests/e2e-s390x/kdump.sh, case crash-oracle).

    crash-compare.py A B

A: the boot that loaded with the in-kernel loader (kexec -s -p), B: the one
that loaded ukexec's plan (kexec -c -p); same kernel, initrd and command line.
Each directory holds console.log (its UKEXEC-MANIFEST: lines are the
--dump-plan manifest of ukexec's dry run in that boot), region.bin (the
"Crash kernel" region dumped over QMP after the load) and region.where
("start size").

Checks:
  1. both boots' dry runs planned the same segment table
  2. every segment but the purgatory (the kernel's purgatory is not ours):
     the bytes [mem, mem+memsz) of dump A equal those of dump B
  3. dump B holds what B's plan says it loaded: sha256 of [mem, mem+bufsz)
     as in the manifest, zeros up to memsz, for every segment
The kernel does not say where it put its segments (no KEXEC_FILE_DEBUG in
6.1): check 2 over ukexec's table shows the kernel put the same bytes there.
Prints a report and a last line "SUMMARY ...". Exit 0: no difference;
1: differences; 2: the inputs are unusable.
"""
import hashlib
import os
import sys


class Unusable(Exception):
    pass


class Seg:
    def __init__(self, line):
        # segment INDEX FILE MEM MEMSZ BUFSZ SHA256 WHAT...
        f = line.split()
        if len(f) < 8 or f[0] != "segment":
            raise Unusable("bad manifest line: %r" % line)
        self.idx = int(f[1])
        self.mem, self.memsz, self.bufsz = int(f[3], 16), int(f[4], 16), int(f[5], 16)
        self.sha256 = f[6]
        self.what = " ".join(f[7:])

    def key(self):
        return (self.idx, self.mem, self.memsz, self.bufsz, self.what)

    def __str__(self):
        return "segment %d %-10s mem=0x%x memsz=0x%x bufsz=0x%x" % (
            self.idx, self.what, self.mem, self.memsz, self.bufsz)


class Boot:
    def __init__(self, d):
        self.dir = d
        try:
            with open(os.path.join(d, "console.log"), errors="replace") as f:
                log = f.read().replace("\r", "")
            with open(os.path.join(d, "region.where")) as f:
                self.start, self.size = (int(x, 0) for x in f.read().split())
        except OSError as e:
            raise Unusable(str(e))
        self.segs = [Seg(l[len("UKEXEC-MANIFEST: "):]) for l in log.splitlines()
                     if l.startswith("UKEXEC-MANIFEST: segment ")]
        if not self.segs:
            said = [l for l in log.splitlines() if l.startswith(("UKEXEC-DRYRUN", "UKEXEC-PLAN: "))]
            raise Unusable("%s: no manifest in the console log (%s)" % (d, "; ".join(said[:3])))
        self.region = os.path.join(d, "region.bin")
        if os.path.getsize(self.region) != self.size:
            raise Unusable("%s: %d bytes, not 0x%x" % (self.region, os.path.getsize(self.region), self.size))

    def read(self, mem, n):
        if mem < self.start or mem + n > self.start + self.size:
            raise Unusable("0x%x+0x%x lies outside the crash region 0x%x+0x%x"
                           % (mem, n, self.start, self.size))
        with open(self.region, "rb") as f:
            f.seek(mem - self.start)
            return f.read(n)


def differing(a, b):
    """The offsets at which a and b differ."""
    if a == b:
        return []
    return [i for i in range(len(a)) if a[i] != b[i]]


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    try:
        a, b = Boot(argv[1]), Boot(argv[2])
    except Unusable as e:
        print("unusable: %s" % e)
        print("SUMMARY unusable inputs")
        return 2
    bad = 0
    print("crash region 0x%x+0x%x (A), 0x%x+0x%x (B)" % (a.start, a.size, b.start, b.size))
    for s in b.segs:
        print("  %s" % s)
    # 1. the segment tables
    if [s.key() for s in a.segs] != [s.key() for s in b.segs]:
        print("the dry runs of A and B planned different segment tables:")
        for s in a.segs:
            print("  A %s" % s)
        bad += 1

    try:
        # 2. A against B, all but the purgatory
        compared = ndiff = 0
        names = []
        for s in b.segs:
            if s.what == "purgatory":
                continue
            da, db = a.read(s.mem, s.memsz), b.read(s.mem, s.memsz)
            diff = differing(da, db)
            compared += s.memsz
            ndiff += len(diff)
            names.append(s.what)
            print("%s: %d bytes compared, %d differ" % (s.what, s.memsz, len(diff)))
            for i in diff[:16]:
                print("  +0x%x: A %02x B %02x" % (i, da[i], db[i]))
        if ndiff:
            bad += 1

        # 3. B against its plan
        planned = 0
        for s in b.segs:
            data = b.read(s.mem, s.memsz)
            ok = hashlib.sha256(data[:s.bufsz]).hexdigest() == s.sha256 and \
                not any(data[s.bufsz:])
            print("B %s: %s" % (s.what, "as planned" if ok else "NOT as planned"))
            planned += ok
        if planned != len(b.segs):
            bad += 1
        purg = [s for s in b.segs if s.what == "purgatory"]
        for s in purg:
            n = len(differing(a.read(s.mem, s.memsz), b.read(s.mem, s.memsz)))
            print("purgatory (not compared): A and B differ in %d of %d bytes" % (n, s.memsz))
    except Unusable as e:
        print("unusable: %s" % e)
        print("SUMMARY unusable inputs")
        return 2

    print("SUMMARY %d bytes compared (%s), %d differ; B as planned in %d of %d segments"
          % (compared, ", ".join(names), ndiff, planned, len(b.segs)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
