#!/usr/bin/env python3
"""Compare ukexec's arm64 dry-run plan with the 6.1 kernel's own (TAP).

golden-check.py GOLDEN_DIR PRINT_L PRINT_P DUMP_L [DUMP_PL DUMP_PP]
  GOLDEN_DIR: tests/golden/arm64-virt-6.1/plan (record-plan.sh's output)
  PRINT_L, PRINT_P: ukexec --print-plan of -l and -p
  DUMP_L: ukexec --dump-plan directory of -l
  DUMP_PL, DUMP_PP: the same plans with a stand-in purgatory
  (stub-purgatory.S): the kernel's segments where the kernel put them, the
  purgatory after them, its symbols and the digest filled in.
The kernel's segment tables are its pr_debug lines ("Loading segment N:
... bufsz= mem= memsz=", kernel/kexec_file.c) in plan.kernel: the normal
load, then the crash load (the kernel log is taken before the third load,
the normal one again that reboot(KEXEC) boots).
The DTB is the one the second kernel booted with (plan-kexec.dtb): it
turned /chosen/rng-seed into FDT_NOP tokens; kaslr-seed is random. Both are
masked the same way in ours; every other byte must be equal.
"""
import re
import struct
import sys

golden, print_l, print_p, dump_l = sys.argv[1:5]
purg_dumps = sys.argv[5:7]
tests = []


def ok(cond, name, diag=""):
    tests.append((bool(cond), name, diag))


def kernel_tables(path):
    groups = []
    for line in open(path):
        m = re.search(r"Loading segment (\d+): buf=\S+ bufsz=0x([0-9a-f]+) mem=0x([0-9a-f]+) "
                      r"memsz=0x([0-9a-f]+)", line)
        if not m:
            continue
        if int(m.group(1)) == 0:
            groups.append([])
        groups[-1].append((int(m.group(3), 16), int(m.group(4), 16), int(m.group(2), 16)))
    return groups


def ukexec_table(path):
    segs = []
    for line in open(path):
        m = re.match(r"segment\[(\d+)\]: buf=\S+ bufsz=0x([0-9a-f]+) mem=0x([0-9a-f]+) "
                     r"memsz=0x([0-9a-f]+)$", line.strip())
        if m:
            segs.append((int(m.group(3), 16), int(m.group(4), 16), int(m.group(2), 16)))
    return segs


def fmt(t):
    return " ".join("mem=%#x memsz=%#x bufsz=%#x" % s for s in t)


FDT_PROP, FDT_NOP, FDT_END = 3, 4, 9


def mask_seeds(blob, nop_rng_seed):
    """kaslr-seed's value zeroed; rng-seed NOPed (as the next kernel does)."""
    b = bytearray(blob)
    off_struct, off_strings = struct.unpack(">II", b[8:16])
    size_struct = struct.unpack(">I", b[36:40])[0]
    p, end = off_struct, off_struct + size_struct
    while p < end:
        tag = struct.unpack(">I", b[p:p + 4])[0]
        if tag == 1:  # BEGIN_NODE: name, NUL, padded
            q = b.index(0, p + 4)
            p = (q + 1 + 3) & ~3
        elif tag == FDT_PROP:
            ln, nameoff = struct.unpack(">II", b[p + 4:p + 12])
            name = bytes(b[off_strings + nameoff:b.index(0, off_strings + nameoff)])
            nxt = p + 12 + ((ln + 3) & ~3)
            if name == b"kaslr-seed":
                b[p + 12:p + 12 + ln] = bytes(ln)
            elif name == b"rng-seed" and nop_rng_seed:
                b[p:nxt] = struct.pack(">I", FDT_NOP) * ((nxt - p) // 4)
            p = nxt
        elif tag == FDT_END:
            break
        else:
            p += 4
    return bytes(b)


groups = kernel_tables(golden + "/plan.kernel")
ok(len(groups) == 2, "the kernel logged two loads (-l, -p)", "%d found" % len(groups))
if len(groups) == 2:
    mine_l, mine_p = ukexec_table(print_l), ukexec_table(print_p)
    ok(mine_l == groups[0], "-l: ukexec's segment table is the kernel's",
       "kernel: %s\nukexec: %s" % (fmt(groups[0]), fmt(mine_l)))
    ok(mine_p == groups[1], "-p: ukexec's segment table is the kernel's",
       "kernel: %s\nukexec: %s" % (fmt(groups[1]), fmt(mine_p)))
    # the DTB is the last segment of a plan without purgatory
    manifest = [l.split() for l in open(dump_l + "/manifest") if l.startswith("segment ")]
    dtb_file = [m[2] for m in manifest if m[-1] == "dtb"]
    ok(len(dtb_file) == 1, "-l: the plan has one dtb segment")
    if dtb_file:
        mine = open(dump_l + "/" + dtb_file[0], "rb").read()
        theirs = open(golden + "/plan-kexec.dtb", "rb").read()
        ok(len(mine) == len(theirs), "-l: the DTB has the kernel's size",
           "kernel %d, ukexec %d" % (len(theirs), len(mine)))
        a, b = mask_seeds(mine, True), mask_seeds(theirs, False)
        diff = sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
        ok(diff == 0, "-l: the DTB is the kernel's byte for byte outside the seeds",
           "%d bytes differ" % diff)



def manifest(d):
    segs, entry = [], None
    for l in open(d + "/manifest"):
        f = l.split()
        if f[0] == "entry":
            entry = int(f[1], 16)
        elif f[0] == "segment":
            segs.append(dict(file=d + "/" + f[2], mem=int(f[3], 16), memsz=int(f[4], 16),
                             bufsz=int(f[5], 16), what=f[7]))
    return segs, entry


for mode, d, kernel in zip(("-l", "-p"), purg_dumps, groups if len(groups) == 2 else []):
    import hashlib
    segs, entry = manifest(d)
    ok([(s["mem"], s["memsz"], s["bufsz"]) for s in segs[:-1]] == kernel and
       segs[-1]["what"] == "purgatory",
       "%s with a purgatory: the kernel's segments unchanged, the purgatory last" % mode,
       "ukexec: %s" % fmt([(s["mem"], s["memsz"], s["bufsz"]) for s in segs]))
    if len(segs) != len(kernel) + 1:
        continue
    p = segs[-1]
    purg = open(p["file"], "rb").read()
    ok(p["mem"] <= entry < p["mem"] + p["memsz"], "%s: the entry is in the purgatory" % mode)
    kseg = [s for s in segs if s["what"] == "kernel"][0]
    dtb = [s for s in segs if s["what"] == "dtb"][0]
    ok(struct.pack("<QQ", kseg["mem"], dtb["mem"]) in purg,
       "%s: arm64_kernel_entry, arm64_dtb_addr = the kernel's entry, the DTB" % mode)
    h = hashlib.sha256()
    regions = b""
    for s in segs[:-1]:
        data = open(s["file"], "rb").read()
        h.update(data + bytes(s["memsz"] - len(data)))
        regions += struct.pack("<QQ", s["mem"], s["memsz"])
    ok(h.digest() in purg and regions in purg,
       "%s: purgatory_sha256_digest and purgatory_sha_regions cover the kernel's segments" % mode)

print("1..%d" % len(tests))
failed = 0
for i, (good, name, diag) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if good else "not ok", i, name))
    if not good:
        failed += 1
        for l in diag.splitlines():
            print("# " + l)
sys.exit(1 if failed else 0)
