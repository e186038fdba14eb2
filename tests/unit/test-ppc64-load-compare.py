#!/usr/bin/env python3
"""tests/e2e-ppc64/load-compare.py (the ppc64 -l byte oracle's comparer) on
made-up boots, without QEMU (TAP). A is the kernel's load (its pr_debug
table), B ukexec's; their memory at the two stops (the purgatory's entry,
the kernel's) is built here to be equal by the oracle's rules, the device
tree being the one the 6.1 kernel really made
(tests/golden/ppc64-pseries-6.1/kernel-p-segments/segment-5.bin, with
/chosen/kaslr-seed and rng-seed), each digest the SHA-256 of its boot's
segments. Then each case breaks one rule and the comparer must say so (exit
1, a FINDING naming the place), or keeps to the rules and it must pass."""
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("top_srcdir") or os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(TOP, "tests", "e2e-ppc64"))
from ppc64bytes import fdt_seeds, segments_sha256  # noqa: E402

COMPARE = os.path.join(TOP, "tests", "e2e-ppc64", "load-compare.py")
FDT = os.path.join(TOP, "tests", "golden", "ppc64-pseries-6.1", "kernel-p-segments", "segment-5.bin")
KERNEL, PURG, INITRD, DTB = 0x510000, 0x3ffff000, 0x508000, 0x3fffa000
DIGEST_AT = 0x1f0


def blob(n, size, seed):
    r = random.Random(seed)
    return bytearray(bytes(r.getrandbits(8) for _ in range(n)) + bytes(size - n))


def model(seed):
    """one boot: table [(bufsz, mem, memsz)], stop-0 memory, registers"""
    fdt = bytearray(open(FDT, "rb").read())
    r = random.Random(seed)
    for off, n in fdt_seeds(fdt):
        fdt[off:off + n] = bytes(r.getrandbits(8) for _ in range(n))
    purg = blob(0x310, 0x1000, 3)
    purg[0x5c:0x60] = bytes(4)          # run_at_load
    table = [(0x2800, KERNEL, 0x3000), (0x310, PURG, 0x1000), (0xdd, INITRD, 0x1000),
             (len(fdt), DTB, 0x5000)]
    kernel = blob(0x2800, 0x3000, 1)
    kernel[0x5c:0x60] = bytes(4)        # head_64.S's run_at_load word
    mem = [kernel, purg, blob(0xdd, 0x1000, 2), fdt + bytes(0x5000 - len(fdt))]
    return {"table": table, "mem": mem, "cpu": 0, "regs1": {"r3": DTB, "r4": KERNEL, "r5": 0, "pc": KERNEL,
                                                             "msr": 0x8000000000001002}}


def seal(m):
    """the digest into the purgatory, then stop 1 = stop 0 + the purgatory's writes"""
    d = segments_sha256(m["table"], lambda i: m["mem"][i], 1)
    at = m.get("digest_at", DIGEST_AT)
    m["mem"][1][at:at + 32] = d
    m["mem1"] = [bytearray(x) for x in m["mem"]]
    m["mem1"][3][0x1c:0x20] = struct.pack(">I", m["cpu"])
    m["mem1"][0][0x5c:0x60] = m["mem"][1][0x5c:0x60]


def write(d, mode, m):
    os.makedirs(d)
    lines = ["UKEXEC-ORACLE %s 6.1.192" % mode]
    lines += ["UKEXEC-SEG %d 0x%x 0x%x 0x%x" % ((i,) + s) for i, s in enumerate(m["table"])]
    lines += ["UKEXEC-ENTRY 0x%x" % PURG, "UKEXEC-KERNEL 0x%x" % KERNEL, "UKEXEC-GDB-READY"]
    open(os.path.join(d, "console.log"), "w").write("\r\n".join(lines) + "\r\n")
    for stop, mem in ((0, m["mem"]), (1, m["mem1"])):
        for i, x in enumerate(mem):
            open(os.path.join(d, "%d-seg-%d.bin" % (stop, i)), "wb").write(x)
    regs0 = {"r3": m["cpu"], "r4": PURG, "r5": 0, "pc": PURG, "msr": 0x8000000000001003}
    stops = [{"hit": True, "regs": {k: "0x%x" % v for k, v in r.items()}} for r in (regs0, m["regs1"])]
    json.dump({"stops": stops, "hit": True}, open(os.path.join(d, "gdb.json"), "w"))


def own_purgatory(m):
    """B loads other purgatory code (ukexec's own): more bytes, the digest
    elsewhere, in the same page"""
    purg = blob(0xbb0, 0x1000, 4)
    purg[0x5c:0x60] = bytes(4)
    m["mem"][1] = purg
    m["table"][1] = (0xbb0, PURG, 0x1000)
    m["digest_at"] = 0x9a8


def run(tmp, at_load=None, at_stop=None, a_too=False, own=False):
    """compare made-up A and B; at_load(m) changes B before its digest is
    sealed, at_stop(m) after (what the oracle would see); own: B has its own
    purgatory, compared with --own-purgatory"""
    ma, mb = model(1), model(2)
    if own:
        own_purgatory(mb)
    for m in ([ma, mb] if a_too else [mb]):
        if at_load:
            at_load(m)
    seal(ma)
    seal(mb)
    if at_stop:
        at_stop(mb)
    shutil.rmtree(tmp, ignore_errors=True)
    write(os.path.join(tmp, "A"), "s", ma)
    write(os.path.join(tmp, "B"), "c", mb)
    r = subprocess.run([sys.executable, COMPARE] + ["--own-purgatory"] * own + [os.path.join(tmp, "A"),
                                                                                 os.path.join(tmp, "B")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return r.returncode, r.stdout


n = nfail = 0


def check(name, got, want_st, *want):
    global n, nfail
    n += 1
    st, out = got
    bad = [w for w in want if w not in out]
    if st == want_st and not bad:
        print("ok %d - %s" % (n, name))
    else:
        nfail += 1
        print("not ok %d - %s: exit %d (want %d)%s" % (n, name, st, want_st, ", no %r" % bad[0] if bad else ""))
        print("".join("# %s\n" % l for l in out.splitlines()[-12:]), end="")



def main():
    tmp = tempfile.mkdtemp()
    fdt = bytearray(open(FDT, "rb").read())
    kaslr = [o for o, n in fdt_seeds(fdt) if n == 8][0]
    try:
        check("equal but the seeds and the digest: pass", run(tmp), 0,
              "changed bytes: none in A, none in B",
              "SUMMARY 4 segments, 40960 bytes, 40792 compared, 0 differ, 0 checks failed")
        check("a device tree byte next to the kaslr-seed value: reported there",
              run(tmp, at_load=lambda m: m["mem"][3].__setitem__(kaslr - 1, m["mem"][3][kaslr - 1] ^ 1)), 1,
              "FINDING stop 0 fdt 0x%x+0x%x..+0x%x (1 bytes)" % (DTB, kaslr - 1, kaslr))
        check("a kernel byte at the purgatory's entry: reported",
              run(tmp, at_stop=lambda m: [x[0].__setitem__(0x1234, 0) for x in (m["mem"], m["mem1"])]), 1,
              "FINDING stop 0 kernel 0x%x+0x1234..+0x1235" % KERNEL)
        check("B's digest not the SHA-256 of its segments: reported",
              run(tmp, at_stop=lambda m: [x[2].__setitem__(0x10, 0x77) for x in (m["mem"], m["mem1"])]), 1,
              "FINDING B purgatory: its digest (+0x1f0) is not the SHA-256 of its segments",
              "FINDING stop 0 initrd 0x%x+0x10..+0x11" % INITRD)
        check("the cpu's boot_cpuid_phys written by both purgatories: pass",
              run(tmp, at_load=lambda m: m.__setitem__("cpu", 1), a_too=True), 0,
              "changed bytes: fdt+0x1f..+0x20 in A, fdt+0x1f..+0x20 in B")
        check("boot_cpuid_phys not the cpu at the kernel's entry: reported",
              run(tmp, at_stop=lambda m: m["mem1"][3].__setitem__(0x1f, 7)), 1,
              "FINDING B fdt+0x1c at the kernel's entry: 00000007, the purgatory writes 00000000")
        check("an initrd byte changed before the kernel's entry: reported",
              run(tmp, at_stop=lambda m: m["mem1"][2].__setitem__(0x20, 0x99)), 1,
              "FINDING B initrd+0x20..+0x21 changed before the kernel's entry")
        check("the initrd placed elsewhere: reported in the table",
              run(tmp, at_load=lambda m: m["table"].__setitem__(2, (0xdd, INITRD + 0x1000, 0x1000))), 1,
              "FINDING table segment[2]: A 0x508000+0x1000 (bufsz 0xdd), B 0x509000+0x1000 (bufsz 0xdd)")
        check("r5 = 1 at B's kernel entry: reported",
              run(tmp, at_stop=lambda m: m["regs1"].__setitem__("r5", 1)), 1,
              "FINDING B at the kernel's entry: pc=0x510000 r3=0x3fffa000 r4=0x510000 r5=0x1")
        check("entered little-endian: reported",
              run(tmp, at_stop=lambda m: m["regs1"].__setitem__("msr", 0x8000000000001003)), 1,
              "FINDING B at the kernel's entry")
        check("--own-purgatory: another purgatory, its stack written, the rest equal: pass",
              run(tmp, own=True, at_stop=lambda m: m["mem1"][1].__setitem__(0xf00, 0x42)), 0,
              "the same segment table but the purgatory's bufsz",
              "the purgatory's bufsz 0x310 in A, 0xbb0 in B",
              "+0x1f0 in A, +0x9a8 in B",
              "changed bytes: none in A, purgatory+0xf00..+0xf01 in B",
              "SUMMARY 4 segments, 40960 bytes, 36728 compared, 0 differ, 0 checks failed")
        check("--own-purgatory: the same purgatory bytes compared without it: reported",
              run(tmp, at_load=own_purgatory), 1,
              "FINDING table segment[1]: A 0x3ffff000+0x1000 (bufsz 0x310), B 0x3ffff000+0x1000 (bufsz 0xbb0)")
        check("--own-purgatory: the purgatory two pages: reported in the table",
              run(tmp, own=True, at_load=lambda m: m["table"].__setitem__(1, (0xbb0, PURG, 0x2000))
                  or m["mem"].__setitem__(1, m["mem"][1] + bytes(0x1000))), 1,
              "FINDING table segment[1]: A 0x3ffff000+0x1000 (bufsz 0x310), B 0x3ffff000+0x2000 (bufsz 0xbb0)")
        check("--own-purgatory: an FDT byte next to the kaslr-seed value: reported there",
              run(tmp, own=True, at_load=lambda m: m["mem"][3].__setitem__(kaslr - 1, m["mem"][3][kaslr - 1] ^ 1)),
              1, "FINDING stop 0 fdt 0x%x+0x%x..+0x%x (1 bytes)" % (DTB, kaslr - 1, kaslr))
        check("--own-purgatory: B's digest not the SHA-256 of its segments: reported",
              run(tmp, own=True, at_stop=lambda m: [x[0].__setitem__(0x40, 0x77) for x in (m["mem"], m["mem1"])]),
              1, "FINDING B purgatory: its digest (+0x?) is not the SHA-256 of its segments",
              "FINDING stop 0 kernel 0x%x+0x40..+0x41" % KERNEL)
        check("--own-purgatory: a kernel byte changed before the kernel's entry: reported",
              run(tmp, own=True, at_stop=lambda m: m["mem1"][0].__setitem__(0x100, 0x99)), 1,
              "FINDING B kernel+0x100..+0x101 changed before the kernel's entry")
        check("--own-purgatory: B's purgatory code (below its bufsz) changed before the kernel's entry: reported",
              run(tmp, own=True, at_stop=lambda m: m["mem1"][1].__setitem__(0x100, 0x42)), 1,
              "FINDING B purgatory+0x100..+0x101 changed before the kernel's entry")
        check("--own-purgatory: r3 not the device tree at B's kernel entry: reported",
              run(tmp, own=True, at_stop=lambda m: m["regs1"].__setitem__("r3", KERNEL)), 1,
              "FINDING B at the kernel's entry: pc=0x510000 r3=0x510000")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
