#!/usr/bin/env python3
"""tests/e2e-arm64/load-compare.py (the arm64 byte oracle's comparer) on
made-up boots, without QEMU (TAP). Boot A is the kernel's (kexec -s: its
pr_debug tables), B ukexec's (kexec -c: manifests, a purgatory segment);
their memory is built here to be equal by the oracle's rules, with the DTB
the kernel really made (tests/golden/arm64-virt-6.1/load-oracle), then each
case breaks one rule and the comparer must say so (exit 1, a FINDING naming
the place), or keeps to the rules and it must pass (exit 0)."""
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("top_srcdir") or os.path.join(HERE, "..", "..")
COMPARE = os.path.join(TOP, "tests", "e2e-arm64", "load-compare.py")
DTB = os.path.join(TOP, "tests", "golden", "arm64-virt-6.1", "load-oracle", "kexec-file-l.dtb")
KASLR, RNG = (0x1bd4, 8), (0x1b48, 128)     # the seed values in DTB (its README)
CRASH = (0x78000000, 0x100000)

def blob(n, size, seed):
    r = random.Random(seed)
    return bytes(r.getrandbits(8) for _ in range(n)) + bytes(size - n)


class Seg:
    def __init__(self, mem, memsz, bufsz, what, data=None):
        self.mem, self.memsz, self.bufsz, self.what = mem, memsz, bufsz, what
        self.data = data if data is not None else blob(bufsz, memsz, mem)


def model():
    dtb = open(DTB, "rb").read()
    l = [Seg(0x40600000, 0x10000, 0xf000, "kernel"), Seg(0x40700000, 0x2000, 0x1800, "initrd"),
         Seg(0x77e00000, 0x2000, 0x1e6f, "dtb", dtb)]
    p = [Seg(0x78000000, 0x10000, 0xf000, "kernel"), Seg(0x780f0000, 0x1000, 0x1000, "elfcorehdr"),
         Seg(0x78010000, 0x2000, 0x1800, "initrd"), Seg(0x780e0000, 0x2000, 0x1e6f, "dtb", dtb)]
    return {"l": l, "p": p, "purg_l": Seg(0x40710000, 0x3000, 0x2000, "purgatory"),
            "purg_p": Seg(0x78012000, 0x3000, 0x2000, "purgatory"),
            "vmcoreinfo": b"OSRELEASE=6.1.0\nPAGESIZE=4096\n".ljust(0x1000, b"\0"),
            # kimage_alloc_crash_control_pages: the first free pages after the segments
            "kpages_a": (0x78012000, 0x78013000), "kpages_b": (0x78015000, 0x78016000),
            "regs": {"pc": 0x40600000, "x0": 0x77e00000, "x1": 0, "x2": 0, "x3": 0, "el": 1}}


def reseed(data, seed):
    """another load's seeds: the kernel's random values, other bytes"""
    b = bytearray(data)
    r = random.Random(seed)
    for off, n in (KASLR, RNG):
        b[off:off + n] = bytes(r.getrandbits(8) for _ in range(n))
    return bytes(b)


def write(d, mode, m):
    os.makedirs(d)
    lines = ["UKEXEC-ORACLE %s 6.1.0" % mode, "UKEXEC-CRASHK %x %x" % (CRASH[0], CRASH[0] + CRASH[1] - 1)]
    crash = bytearray(CRASH[1])
    for what in ("p", "l"):
        segs = m[what]
        if mode == "s":
            names = {"elfcorehdr": "elf core header"}
            lines += ["UKEXEC-KLOG-%s: Loaded %s at 0x%x bufsz=0x%x memsz=0x%x" % (
                what, names.get(s.what, s.what), s.mem, s.bufsz, s.memsz) for s in segs]
            lines += ["UKEXEC-KLOG-%s: Loading segment %d: buf=0x00000000deadbeef bufsz=0x%x mem=0x%x memsz=0x%x"
                      % (what, i, s.bufsz, s.mem, s.memsz) for i, s in enumerate(segs)]
        else:
            segs = segs + [m["purg_" + what]]
            lines += ["UKEXEC-MANIFEST-%s: segment %d segment-%d.bin 0x%x 0x%x 0x%x %s %s" % (
                what, i, i, s.mem, s.memsz, s.bufsz, hashlib.sha256(s.data[:s.bufsz]).hexdigest(), s.what)
                for i, s in enumerate(segs)]
        for i, s in enumerate(segs):
            if what == "l":
                open(os.path.join(d, "l-%d.bin" % i), "wb").write(s.data)
            else:
                crash[s.mem - CRASH[0]:s.mem - CRASH[0] + s.memsz] = s.data
    k = m["kpages_a" if mode == "s" else "kpages_b"][1] - CRASH[0]
    crash[k:k + 0x1000] = m["vmcoreinfo"]
    for off, b in m.get("stray", []):
        crash[off] = b
    open(os.path.join(d, "crash.bin"), "wb").write(crash)
    open(os.path.join(d, "console.log"), "w").write("\r\n".join(lines) + "\r\n")
    json.dump({"regs": {k: "0x%x" % v for k, v in m["regs"].items()}}, open(os.path.join(d, "gdb.json"), "w"))


def run(tmp, what, break_b=None, break_a=None):
    """compare -WHAT of the made-up boots, B (or A) changed by break_*"""
    ma, mb = model(), model()
    for s in mb["l"] + mb["p"]:
        if s.what == "dtb":
            s.data = reseed(s.data, 2)
    if break_b:
        break_b(mb)
    if break_a:
        break_a(ma)
    shutil.rmtree(tmp, ignore_errors=True)
    write(os.path.join(tmp, "A"), "s", ma)
    write(os.path.join(tmp, "B"), "c", mb)
    r = subprocess.run([sys.executable, COMPARE, what, os.path.join(tmp, "A"), os.path.join(tmp, "B")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return r.returncode, r.stdout


def flip(seg, off):
    b = bytearray(seg.data)
    b[off] ^= 0x5a
    seg.data = bytes(b)


def seg(m, what, name):
    return next(s for s in m[what] if s.what == name)


n = 0
nfail = 0


def check(name, got, want_st, *want):
    global n, nfail
    n += 1
    st, out = got
    bad = [w for w in want if w not in out]
    if st == want_st and not bad:
        print("ok %d - %s" % (n, name))
    else:
        nfail += 1
        print("not ok %d - %s: exit %d (want %d)%s" % (n, name, st, want_st,
                                                       ", no %r" % bad[0] if bad else ""))
        print("".join("# %s\n" % l for l in out.splitlines()[-12:]), end="")


def main():
    tmp = tempfile.mkdtemp()
    try:
        check("-l: equal but the seeds: pass, the seeds reported with their offsets",
              run(tmp, "l"), 0, "kaslr-seed dtb+0x1bd4 (at 0x77e01bd4, 8 bytes)",
              "rng-seed dtb+0x1b48 (at 0x77e01b48, 128 bytes)", "0 differ outside the seeds")
        check("-l: a kernel byte flipped in B: reported by segment and offset",
              run(tmp, "l", lambda m: flip(seg(m, "l", "kernel"), 0x1234)), 1,
              "FINDING -l segment[0] kernel +0x1234..+0x1235 (1 bytes)")
        check("-l: the byte after kaslr-seed's value flipped: not masked",
              run(tmp, "l", lambda m: flip(seg(m, "l", "dtb"), 0x1bdc)), 1,
              "FINDING -l segment[2] dtb +0x1bdc..+0x1bdd (1 bytes)")
        check("-l: rng-seed's name offset flipped in B: the seed is missing there, its bytes compared",
              run(tmp, "l", lambda m: flip(seg(m, "l", "dtb"), 0x1b47)), 1,
              "FINDING -l dtb: rng-seed at +0x1b48 (128 bytes) in A, nowhere in B",
              "FINDING -l segment[2] dtb +0x1b47..")
        check("-l: a byte past bufsz (memsz's zeros) flipped: reported",
              run(tmp, "l", lambda m: flip(seg(m, "l", "initrd"), 0x1900)), 1,
              "FINDING -l segment[1] initrd +0x1900..+0x1901")

        def move_initrd(m):
            seg(m, "l", "initrd").mem += 0x1000
        check("-l: B's initrd elsewhere: the tables differ",
              run(tmp, "l", move_initrd), 1, "FINDING -l: B's segment table (less its purgatory) is not A's")
        check("-l: x1 = 1 at B's stop: reported",
              run(tmp, "l", lambda m: m["regs"].update(x1=1)), 1, "FINDING B (kexec -c): x1 = 0x1, not 0")
        check("-l: x0 not the DTB at A's stop: reported",
              run(tmp, "l", break_a=lambda m: m["regs"].update(x0=0x40700000)), 1,
              "FINDING A (kexec -s): x0 = 0x40700000, not the DTB 0x77e00000")
        check("-l: a stop that is not the kernel's entry: reported",
              run(tmp, "l", lambda m: m["regs"].update(pc=0x40710000)), 1,
              "FINDING B (kexec -c): stopped at pc 0x40710000")
        check("-p: equal but the seeds, the kernel's pages after B's purgatory: pass",
              run(tmp, "p"), 0, "the kernel's vmcoreinfo copy: A 0x78013000, B 0x78016000 (after our purgatory)",
              "(the whole region but B's purgatory), 0 differ outside the seeds")
        check("-p: a stray byte in the crash region outside every segment: reported",
              run(tmp, "p", lambda m: m.update(stray=[(0x50000, 1)])), 1,
              "FINDING -p crash region 0x78017000..0x780e0000 (no segment) +0x39000..+0x39001 (1 bytes): "
              "A 00 B 01, at 0x78050000")
        check("-p: an elfcorehdr byte flipped: reported",
              run(tmp, "p", lambda m: flip(seg(m, "p", "elfcorehdr"), 0x40)), 1,
              "FINDING -p segment[1] elfcorehdr +0x40..+0x41 (1 bytes)")
        check("-p: the vmcoreinfo copy where A has it, not after the purgatory: reported",
              run(tmp, "p", lambda m: m.update(kpages_b=m["kpages_a"])), 1,
              "FINDING -p the kernel's vmcoreinfo copy")

        def purg_changed(m):
            m["stray"] = [(0x12000 + 0x10, 0x77)]
        check("-p: B's purgatory not as its manifest says: reported",
              run(tmp, "p", purg_changed), 1, "FINDING -p B's purgatory segment[4]")
        check("-p: B's DTB segment not a DTB: reported, A's seed offsets used",
              run(tmp, "p", lambda m: setattr(seg(m, "p", "dtb"), "bufsz", 0x1e70) or
                  setattr(seg(m, "p", "dtb"), "data", b"\0" * 0x10 + seg(m, "p", "dtb").data[:-0x10])), 1,
              "FINDING -p dtb: B: its DTB segment: not a flattened device tree (no 0xd00dfeed magic)"
              " (A's seed offsets used)", "FINDING -p segment[3] dtb +0x0..")

        def no_dump(m):
            m["l"] = m["l"][:2] + [Seg(0x77e00000, 0x2000, 0x1e6f, "dtb", b"")]
        check("-l: a missing dump: unusable (exit 2), named",
              run(tmp, "l", no_dump), 2, "l-2.bin has 0 bytes, not 0x2000")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
