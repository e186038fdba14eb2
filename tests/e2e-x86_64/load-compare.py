#!/usr/bin/env python3
"""Compare two normal kexec loads (-l) of the same machine byte for byte
(tests/e2e-x86_64/load-oracle.sh). Reuses tests/e2e-x86_64/crash-compare.py's parsers.

    load-compare.py --plan MODE DIR     what to dump: "entry 0x.." and one
                                        "segment I MEM MEMSZ" line each
    load-compare.py [--ver V] A B       the oracle: A = kexec -s -d -l (the
                                        in-kernel loader), B = kexec -c -d -l
                                        --purgatory-from (ukexec's plan)
    load-compare.py --own [--ver V] A C boot C: ukexec's own purgatory

Each directory holds rec/ (the guest's files: kernel.log = dmesg of the
load, tool.log = what kexec printed, dry.log = ukexec's --dry-run plan of
the same machine, manifest = --dump-plan's manifest), gdbdump.json (the
registers at the breakpoint) and seg-I.bin: guest RAM [mem, mem+memsz) of
segment I, dumped while the guest stood at the purgatory entry during
kexec -e (every segment in place, no purgatory code run yet).

A vs B: the segment tables (bufsz, mem, memsz, name) and the entries must be
equal; every byte of every segment too, but the RNG seed (setup_data type 9
chained from boot_params.hdr.setup_data) and purgatory_sha256_digest (found
after purgatory_sha_regions; each dump's stored digest must be the SHA-256
of its own memory over the regions). B's memory must hold the buffers its
manifest lists.
A vs C: the kernel and initrd segments byte-identical; boot_params identical
but for the pointers that follow the placement (cmd_line_ptr,
ext_cmd_line_ptr, ramdisk_image, ext_ramdisk_image, hdr.setup_data, the
setup_data next pointers: each must point at the same thing in both) and
the seed; C's purgatory holds a region table of its other segments and the
digest of its own memory over them.
Prints a report and a last line "SUMMARY ..."; exit 0: only the expected
differences; 1: findings; 2: the inputs are unusable.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("crash_compare", os.path.join(HERE, "crash-compare.py"))
cc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cc)
Unusable = cc.Unusable


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def rec(d, name):
    p = os.path.join(d, "rec", name)
    return read(p) if os.path.exists(p) else ""


def table_of(mode, d):
    """(table, entry, sums, entry_source)"""
    if mode == "s":
        table, entry = cc.kernel_table(rec(d, "kernel.log"))
        src = "the kernel's log (start:)"
        if entry is None:
            # 6.1 does not log it: ukexec's --dry-run plan of the same machine
            # names it; trusted only if its purgatory lands where the kernel's did
            dt, de, _ = cc.our_table(rec(d, "dry.log"), "")
            purg = next((s for s in table if s.name == "purgatory"), None)
            dpurg = dt[purg.idx] if purg and purg.idx < len(dt) else None
            if purg is None or dpurg is None or dpurg.mem != purg.mem or de is None:
                raise Unusable("no entry: the kernel does not log it and the dry-run's purgatory "
                               "is not where the kernel put its own")
            entry, src = de, "the dry-run plan (purgatory at the kernel's 0x%x)" % purg.mem
        return table, entry, {}, src
    table, entry, sums = cc.our_table(rec(d, "tool.log"), rec(d, "manifest"))
    if entry is None:
        raise Unusable("no entry in ukexec's --print-plan output")
    return table, entry, sums, "--print-plan"


def plan(mode, d):
    table, entry, _, src = table_of(mode, d)
    print("entry 0x%x %s" % (entry, src))
    for s in table:
        print("segment %d 0x%x 0x%x %s" % (s.idx, s.mem, s.memsz, s.name))


def dumps(d, table):
    out = {}
    for s in table:
        p = os.path.join(d, "seg-%d.bin" % s.idx)
        b = read(p, "rb")
        if len(b) != s.memsz:
            raise Unusable("%s: %d bytes, expected 0x%x" % (p, len(b), s.memsz))
        out[s.idx] = b
    return out


def stopped_at(d):
    try:
        j = json.loads(read(os.path.join(d, "gdbdump.json")))
        return int(j["regs"]["rip"], 16)
    except (OSError, ValueError, KeyError):
        return None


def digest(table, mem, regions):
    """SHA-256 over regions [(start, len)] of the dumped segments"""
    h = hashlib.sha256()
    for start, ln in regions:
        s = next((s for s in table if s.mem <= start and start + ln <= s.mem + s.memsz), None)
        if s is None:
            raise Unusable("sha region 0x%x+0x%x is no dumped segment" % (start, ln))
        h.update(mem[s.idx][start - s.mem:start - s.mem + ln])
    return h.digest()


def byname(table, name):
    return next((s for s in table if s.name == name), None)


def show_runs(findings, seg, buf_a, buf_b, runs, label, limit=20):
    for x, y in runs[:limit]:
        what = cc.field(seg, buf_a, x)
        print("      DIFFERS: +0x%x..+0x%x (%d bytes) %s: A %s %s %s" % (
            x, y, y - x, what, buf_a[x:min(y, x + 32)].hex(), label, buf_b[x:min(y, x + 32)].hex()))
        findings.append("segment[%d] %s +0x%x..+0x%x (%s): A %s %s %s" % (
            seg.idx, seg.name, x, y, what, buf_a[x:min(y, x + 16)].hex(), label, buf_b[x:min(y, x + 16)].hex()))
    if len(runs) > limit:
        print("      ... %d more runs" % (len(runs) - limit))
        findings.append("segment[%d]: %d more differing runs" % (seg.idx, len(runs) - limit))


# ---------------------------------------------------------------- A vs B
def oracle(o):
    findings = []
    ta, entry_a, _, src_a = table_of("s", o.a)
    tb, entry_b, sums_b, _ = table_of("c", o.b)
    print("x86_64 %s normal-load oracle: A = in-kernel loader (kexec -s -l), "
          "B = ukexec -c -l --purgatory-from" % o.ver)
    cc.check_tables(findings, ta, tb)
    print("entry: A 0x%x (from %s), B 0x%x" % (entry_a, src_a, entry_b))
    if entry_a != entry_b:
        findings.append("entry point: A 0x%x, B 0x%x" % (entry_a, entry_b))
    for side, d, e in (("A", o.a, entry_a), ("B", o.b, entry_b)):
        rip = stopped_at(d)
        print("  %s stopped at rip=%s" % (side, "0x%x" % rip if rip is not None else "?"))
        if rip != e:
            findings.append("%s did not stop at its entry 0x%x" % (side, e))
    if findings and any(f.startswith("segment table") for f in findings):
        return cc.report("the segment tables differ, %d findings" % len(findings), findings)
    ma, mb = dumps(o.a, ta), dumps(o.b, tb)

    # the expected differences
    expected = {}
    bp, purg = byname(ta, "boot_params"), byname(ta, "purgatory")
    if bp is None or purg is None:
        raise Unusable("no boot_params or purgatory segment named in the kernel's log")
    expected[bp.idx] = cc.check_seeds(findings, bp, ma[bp.idx], mb[bp.idx])
    roff, hashed = cc.find_sha_regions(ma[purg.idx][:purg.bufsz], ta, purg)
    exp = cc.check_digests(findings, roff, hashed, ma[purg.idx], mb[purg.idx],
                           lambda h: digest(ta, ma, [(s.mem, s.memsz) for s in h]),
                           lambda h: digest(tb, mb, [(s.mem, s.memsz) for s in h]))
    if exp:
        expected[purg.idx] = exp

    # the bytes
    total_cmp = total_diff = total_exp = 0
    print("bytes [mem, mem+memsz) per segment, dump A vs dump B:")
    for sa in ta:
        a, b = ma[sa.idx], mb[sa.idx]
        runs = cc.diff_runs(a, b, 0, 0, len(a))
        nd = sum(cc.ndiff(a[x:y], b[x:y]) for x, y in runs)
        exp = expected.get(sa.idx, [])
        nexp, unexpected = 0, []
        for x, y in runs:
            if any(e[0] <= x and y <= e[0] + e[1] for e in exp):
                nexp += cc.ndiff(a[x:y], b[x:y])
            else:
                unexpected.append((x, y))
        total_cmp += len(a)
        total_diff += nd
        total_exp += nexp
        print("  segment[%d] %-11s %10d bytes compared, %d differing (%d expected)" % (
            sa.idx, sa.name, len(a), nd, nexp))
        for off, ln, what in exp:
            print("      expected: +0x%x..+0x%x %s: %d of %d bytes differ" % (
                off, off + ln, what, cc.ndiff(a[off:off + ln], b[off:off + ln]), ln))
        show_runs(findings, sa, a, b, unexpected, "B")
    # B's memory holds its manifest's buffers
    bad = [s.idx for s in tb if s.idx in sums_b and
           hashlib.sha256(mb[s.idx][:s.bufsz]).hexdigest() != sums_b[s.idx]]
    if sums_b:
        print("B: memory holds the %d buffers of its --dump-plan manifest: %s" % (
            len(sums_b), "yes" if not bad else "NO (segments %s)" % bad))
    for i in bad:
        findings.append("B's memory at segment %d is not the buffer its manifest lists" % i)
    if rec(o.a, "iomem") != rec(o.b, "iomem"):
        findings.append("the two boots' /proc/iomem differ")
    print("/proc/iomem of boots A and B: %s" % ("identical" if rec(o.a, "iomem") == rec(o.b, "iomem")
                                                else "DIFFERENT"))
    return cc.report("%d segments, %d bytes compared, %d differing (%d expected: RNG seed + "
                     "purgatory_sha256_digest), %d findings" % (len(ta), total_cmp, total_diff, total_exp,
                                                                len(findings)), findings)


# ---------------------------------------------------------------- A vs C
BP_PTRS = [(0x228, 4, "HDR_CMD_LINE_PTR"), (0xc8, 4, "BP_EXT_CMD_LINE_PTR"),
           (0x218, 4, "HDR_RAMDISK_IMAGE"), (0xc0, 4, "BP_EXT_RAMDISK_IMAGE")]


def setup_chain(seg, buf):
    """[(offset of the pointer in buf, pointer value)] along the setup_data chain"""
    out, at, seen = [], cc.HDR_SETUP_DATA, set()
    while True:
        addr = struct.unpack_from("<Q", buf, at)[0]
        out.append((at, addr))
        if not addr or addr in seen or not (seg.mem <= addr and addr - seg.mem + 16 <= len(buf)):
            return out
        seen.add(addr)
        at = addr - seg.mem


def own(o):
    findings = []
    ta, entry_a, _, src_a = table_of("s", o.a)
    tc, entry_c, sums_c, _ = table_of("o", o.b)
    print("x86_64 %s own-purgatory check: A = in-kernel loader (kexec -s -l), C = ukexec -c -l "
          "(its own purgatory)" % o.ver)
    for sa in ta:
        sc = byname(tc, sa.name)
        print("  %-11s A mem=0x%x memsz=0x%x bufsz=0x%x   C %s" % (
            sa.name, sa.mem, sa.memsz, sa.bufsz,
            "mem=0x%x memsz=0x%x bufsz=0x%x" % (sc.mem, sc.memsz, sc.bufsz) if sc else "-"))
    print("entry: A 0x%x, C 0x%x; C stopped at rip=%s" % (
        entry_a, entry_c, "0x%x" % (stopped_at(o.b) or 0)))
    if stopped_at(o.b) != entry_c:
        findings.append("C did not stop at its entry 0x%x" % entry_c)
    ma, mc = dumps(o.a, ta), dumps(o.b, tc)
    total_cmp = total_diff = total_exp = 0
    for name in ("kernel", "initrd"):
        sa, sc = byname(ta, name), byname(tc, name)
        if sa is None or sc is None:
            findings.append("no %s segment in %s" % (name, "A" if sa is None else "C"))
            continue
        if (sa.bufsz, sa.memsz) != (sc.bufsz, sc.memsz):
            findings.append("%s: bufsz/memsz A 0x%x/0x%x, C 0x%x/0x%x" % (
                name, sa.bufsz, sa.memsz, sc.bufsz, sc.memsz))
        a, c = ma[sa.idx], mc[sc.idx]
        n = min(len(a), len(c))
        runs = cc.diff_runs(a, c, 0, 0, n)
        nd = sum(cc.ndiff(a[x:y], c[x:y]) for x, y in runs)
        total_cmp += n
        total_diff += nd
        print("  %-11s %10d bytes compared, %d differing" % (name, n, nd))
        show_runs(findings, sa, a, c, runs, "C")

    bpa, bpc = byname(ta, "boot_params"), byname(tc, "boot_params")
    if bpa is None or bpc is None:
        raise Unusable("no boot_params segment")
    a, c = ma[bpa.idx], mc[bpc.idx]
    if bpa.bufsz != bpc.bufsz:
        findings.append("boot_params bufsz A 0x%x, C 0x%x" % (bpa.bufsz, bpc.bufsz))
    n = min(len(a), len(c))
    explained = []  # (off, len, why)
    ia, ic = byname(ta, "initrd"), byname(tc, "initrd")
    for off, ln, name in BP_PTRS:
        va = int.from_bytes(a[off:off + ln], "little")
        vc = int.from_bytes(c[off:off + ln], "little")
        if "RAMDISK" in name:
            # the 64-bit address split: low half at 0x218, high at 0xc0
            lo, hi = ia.mem & 0xffffffff, ia.mem >> 32
            lo_c, hi_c = ic.mem & 0xffffffff, ic.mem >> 32
            ok = (va, vc) == ((lo, lo_c) if off == 0x218 else (hi, hi_c))
            why = "follows the initrd (A 0x%x, C 0x%x)" % (ia.mem, ic.mem)
        else:
            full_a = struct.unpack_from("<I", a, 0x228)[0] | struct.unpack_from("<I", a, 0xc8)[0] << 32
            full_c = struct.unpack_from("<I", c, 0x228)[0] | struct.unpack_from("<I", c, 0xc8)[0] << 32
            ok = full_a - bpa.mem == full_c - bpc.mem
            why = "points at boot_params+0x%x in both" % (full_a - bpa.mem)
        if va != vc:
            print("  boot_params %s: A 0x%x C 0x%x: %s" % (name, va, vc, why if ok else "NOT EXPLAINED"))
            if ok:
                explained.append((off, ln, name))
    chain_a, chain_c = setup_chain(bpa, a), setup_chain(bpc, c)
    if [p - (bpa.mem if p else 0) for _, p in chain_a] != [p - (bpc.mem if p else 0) for _, p in chain_c] \
            or [x for x, _ in chain_a] != [x for x, _ in chain_c]:
        findings.append("the setup_data chains differ: A %s, C %s" % (
            ["0x%x" % p for _, p in chain_a], ["0x%x" % p for _, p in chain_c]))
    else:
        for at, p in chain_a:
            if p:
                explained.append((at, 8, "setup_data pointer (boot_params+0x%x in both)" % (p - bpa.mem)))
    for off, ln in cc.rng_seeds(bpa, a):
        explained.append((off, ln, "RNG seed"))
    runs = cc.diff_runs(a, c, 0, 0, n)
    nd = sum(cc.ndiff(a[x:y], c[x:y]) for x, y in runs)
    nexp, unexpected = 0, []
    for x, y in runs:
        # a run may span several neighbouring explained fields
        left = [i for i in range(x, y) if a[i] != c[i] and
                not any(e[0] <= i < e[0] + e[1] for e in explained)]
        if left:
            unexpected.append((x, y))
        else:
            nexp += cc.ndiff(a[x:y], c[x:y])
    total_cmp += n
    total_diff += nd
    total_exp += nexp
    print("  boot_params %10d bytes compared, %d differing (%d explained: %s)" % (
        n, nd, nexp, ", ".join(sorted(set(e[2].split(" (")[0] for e in explained)))))
    show_runs(findings, bpa, a, c, unexpected, "C")

    # C's own purgatory: a region table of its other segments, the digest of its memory
    pc = byname(tc, "purgatory")
    if pc is None:
        findings.append("no purgatory segment in C")
    else:
        pbuf = mc[pc.idx]
        roff, hashed = cc.find_sha_regions(pbuf[:pc.bufsz], tc, pc)
        if roff is None:
            findings.append("no region table of C's segments in its purgatory")
            print("  C's purgatory: no region table found")
        else:
            d = digest(tc, mc, [(s.mem, s.memsz) for s in hashed])
            at = pbuf.find(d)
            print("  C's purgatory: region table at +0x%x (%s); digest of its memory %s at %s" % (
                roff, " ".join(s.name for s in hashed), d.hex(), "+0x%x" % at if at >= 0 else "NOWHERE"))
            if at < 0:
                findings.append("C's purgatory does not hold the digest of its memory")
    return cc.report("kernel+initrd+boot_params: %d bytes compared, %d differing (%d explained: "
                     "placement pointers + RNG seed), %d findings" % (total_cmp, total_diff, total_exp,
                                                                      len(findings)), findings)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ver", default="?")
    ap.add_argument("--plan", metavar="MODE")
    ap.add_argument("--own", action="store_true")
    ap.add_argument("a")
    ap.add_argument("b", nargs="?")
    o = ap.parse_args()
    if o.plan:
        plan(o.plan, o.a)
        return 0
    if not o.b:
        raise Unusable("two directories needed")
    return own(o) if o.own else oracle(o)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (Unusable, OSError, ValueError, KeyError) as e:
        print("load-compare: %s" % e)
        sys.exit(2)
