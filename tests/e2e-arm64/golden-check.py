#!/usr/bin/env python3
"""Compare ukexec's arm64 dry-run plans with the 6.1/6.12 kernels' own (TAP).

golden-check.py NAME=GOLDEN_DIR:WORK_DIR...
  GOLDEN_DIR: a machine record-plan.sh recorded (tests/golden/arm64-virt-*/
  plan, and kdump: the boot that ends in sysrq-c); WORK_DIR: ukexec's outputs for it, from
  golden.sh: print-l, print-p (--print-plan of -l and -p), dump-l, dump-p
  (--dump-plan), and with a stand-in purgatory (stub-purgatory.S) dump-pl,
  dump-pp.
The kernel's segment tables are its pr_debug lines ("Loading segment N:
... bufsz= mem= memsz=", kernel/kexec_file.c; 6.7+: the kexec_dprintk
"segment[N]: ..." of KEXEC_FILE_DEBUG) in plan.kernel: the normal load,
then the crash load. The DTBs are those the next kernel booted with
(plan-kexec.dtb after reboot(KEXEC) of an identical -l load,
plan-crash.dtb in the crash kernel after sysrq-c): it turned
/chosen/rng-seed into FDT_NOP tokens, and kaslr-seed is random. Both are
masked the same way in ours; every other byte must be equal. The crash
kernel's /proc/vmcore header (vmcore.head) has the PT_LOADs of the ELF core
headers the first kernel built. With the purgatory, the kernel's segments
must stay where the kernel put them.
"""
import hashlib
import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fdtprops  # noqa: E402

tests = []


def ok(cond, name, diag=""):
    tests.append((bool(cond), name, diag))


def kernel_tables(path):
    groups = []
    for line in open(path):
        m = re.search(r"(?:Loading segment |segment\[)(\d+)\]?: buf=\S+ bufsz=0x([0-9a-f]+) "
                      r"mem=0x([0-9a-f]+) memsz=0x([0-9a-f]+)", line)
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


def mask_seeds(blob, nop_rng_seed):
    """kaslr-seed's value zeroed; rng-seed NOPed (as the next kernel does)."""
    b = bytearray(blob)
    for _, name, off, n in fdtprops.props(blob):
        if name == "kaslr-seed":
            b[off:off + n] = bytes(n)
        elif name == "rng-seed" and nop_rng_seed:
            # the property's tag, length and name offset, then its value
            b[off - 12:off + ((n + 3) & ~3)] = struct.pack(">I", fdtprops.FDT_NOP) * ((12 + n + 3) // 4)
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


def phdrs(blob):
    phoff, = struct.unpack_from("<Q", blob, 32)
    phentsize, phnum = struct.unpack_from("<HH", blob, 54)
    return [struct.unpack_from("<IIQQQQQQ", blob, phoff + i * phentsize) for i in range(phnum)]


def check_vmcore(name, dump, vmcore_head):
    """Our ELF core headers against the crash kernel's /proc/vmcore header:
    vmcore merges the PT_NOTEs into one and moves the offsets; the PT_LOADs
    keep the kernel's addresses and sizes."""
    hdr = [s["file"] for s in manifest(dump)[0] if s["what"] == "elfcorehdr"]
    ok(len(hdr) == 1, "%s -p: the plan has one elfcorehdr segment" % name)
    if not hdr:
        return
    mine = phdrs(open(hdr[0], "rb").read())
    theirs = phdrs(open(vmcore_head, "rb").read())
    loads = lambda ph: [(p[3], p[4], p[5], p[6]) for p in ph if p[0] == 1]
    ok(loads(mine) == loads(theirs),
       "%s -p: the ELF core headers' PT_LOADs are the crash kernel's (vaddr, paddr, size)" % name,
       "kernel: %s\nukexec: %s" % (loads(theirs), loads(mine)))
    notes = lambda ph: sum(1 for p in ph if p[0] == 4)
    ok(notes(theirs) == 1 and len(mine) - notes(mine) == len(theirs) - 1,
       "%s -p: the same program headers besides the notes vmcore merges" % name,
       "kernel %d phdrs (%d notes), ukexec %d (%d notes)" % (len(theirs), notes(theirs),
                                                           len(mine), notes(mine)))


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
    if os.path.exists(golden + "/vmcore.head"):
        check_vmcore(name, work + "/dump-p", golden + "/vmcore.head")
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
