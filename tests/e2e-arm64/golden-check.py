#!/usr/bin/env python3
"""Compare ukexec's arm64 dry-run plans with the 6.1 kernel's own (TAP).

golden-check.py NAME=GOLDEN_DIR:WORK_DIR...
  GOLDEN_DIR: a machine record-plan.sh recorded (tests/golden/arm64-virt-6.1/
  plan, and kdump: the boot that ends in sysrq-c); WORK_DIR: ukexec's outputs for it, from
  golden.sh: print-l, print-p (--print-plan of -l and -p), dump-l, dump-p
  (--dump-plan), and with a stand-in purgatory (stub-purgatory.S) dump-pl,
  dump-pp.
The kernel's segment tables are its pr_debug lines ("Loading segment N:
... bufsz= mem= memsz=", kernel/kexec_file.c) in plan.kernel: the normal
load, then the crash load. The DTBs are those the next kernel booted with
(plan-kexec.dtb after reboot(KEXEC) of an identical -l load,
plan-crash.dtb in the crash kernel after sysrq-c): it turned
/chosen/rng-seed into FDT_NOP tokens, and kaslr-seed is random. Both are
masked the same way in ours; every other byte must be equal. With the
purgatory, the kernel's segments must stay where the kernel put them.
"""
import hashlib
import os
import re
import struct
import sys

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


def check_dtb(name, mode, dump, kernel_dtb):
    dtb_file = [s["file"] for s in manifest(dump)[0] if s["what"] == "dtb"]
    ok(len(dtb_file) == 1, "%s %s: the plan has one dtb segment" % (name, mode))
    if not dtb_file:
        return
    mine = open(dtb_file[0], "rb").read()
    theirs = open(kernel_dtb, "rb").read()
    ok(len(mine) == len(theirs), "%s %s: the DTB has the kernel's size" % (name, mode),
       "kernel %d, ukexec %d" % (len(theirs), len(mine)))
    a, b = mask_seeds(mine, True), mask_seeds(theirs, False)
    diff = sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
    ok(diff == 0, "%s %s: the DTB is the kernel's byte for byte outside the seeds" % (name, mode),
       "%d bytes differ" % diff)


def check_purgatory(name, mode, d, kernel):
    segs, entry = manifest(d)
    ok([(s["mem"], s["memsz"], s["bufsz"]) for s in segs[:-1]] == kernel and
       segs[-1]["what"] == "purgatory",
       "%s %s with a purgatory: the kernel's segments unchanged, the purgatory last" % (name, mode),
       "ukexec: %s" % fmt([(s["mem"], s["memsz"], s["bufsz"]) for s in segs]))
    if len(segs) != len(kernel) + 1:
        return
    p = segs[-1]
    purg = open(p["file"], "rb").read()
    ok(p["mem"] <= entry < p["mem"] + p["memsz"], "%s %s: the entry is in the purgatory" % (name, mode))
    kseg = [s for s in segs if s["what"] == "kernel"][0]
    dtb = [s for s in segs if s["what"] == "dtb"][0]
    ok(struct.pack("<QQ", kseg["mem"], dtb["mem"]) in purg,
       "%s %s: arm64_kernel_entry, arm64_dtb_addr = the kernel's entry, the DTB" % (name, mode))
    h = hashlib.sha256()
    regions = b""
    for s in segs[:-1]:
        data = open(s["file"], "rb").read()
        h.update(data + bytes(s["memsz"] - len(data)))
        regions += struct.pack("<QQ", s["mem"], s["memsz"])
    ok(h.digest() in purg and regions in purg,
       "%s %s: purgatory_sha256_digest and purgatory_sha_regions cover the kernel's segments"
       % (name, mode))


def check_machine(name, golden, work):
    groups = kernel_tables(golden + "/plan.kernel")
    ok(len(groups) == 2, "%s: the kernel logged two loads (-l, -p)" % name, "%d found" % len(groups))
    if len(groups) != 2:
        return
    for mode, kernel in zip(("-l", "-p"), groups):
        mine = ukexec_table(work + "/print" + mode)
        ok(mine == kernel, "%s %s: ukexec's segment table is the kernel's" % (name, mode),
           "kernel: %s\nukexec: %s" % (fmt(kernel), fmt(mine)))
    for mode, f in (("-l", "plan-kexec.dtb"), ("-p", "plan-crash.dtb")):
        if os.path.exists(golden + "/" + f):
            check_dtb(name, mode, work + "/dump" + mode, golden + "/" + f)
    for mode, kernel in zip(("-l", "-p"), groups):
        d = work + "/dump-p" + mode[1]
        if os.path.isdir(d):
            check_purgatory(name, mode, d, kernel)


for arg in sys.argv[1:]:
    name, dirs = arg.split("=", 1)
    golden, work = dirs.split(":", 1)
    check_machine(name, golden, work)

print("1..%d" % len(tests))
failed = 0
for i, (good, name, diag) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if good else "not ok", i, name))
    if not good:
        failed += 1
        for l in diag.splitlines():
            print("# " + l)
sys.exit(1 if failed else 0)
