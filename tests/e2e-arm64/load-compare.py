#!/usr/bin/env python3
"""The arm64 byte oracle's comparer (tests/e2e-arm64/load-oracle.sh): the
in-kernel loader's memory against ukexec's, for -l and for -p.

    load-compare.py dumps DIR          the -l stop of boot DIR: "BREAK ADDR"
                                       (the next kernel's entry) and one
                                       "DUMP MEM:MEMSZ:FILE" per segment
    load-compare.py l|p A B            compare boot A (kexec -s) with B (-c)
    load-compare.py flips DIR          the check of the check's bytes to flip

A boot directory holds console.log (init-load-oracle.sh's UKEXEC- lines), for
-l gdb.json (gdbdump.py's stop at the next kernel's first instruction) and
l-I.bin ([mem, mem+memsz) of segment I at that stop), for -p crash.bin (the
crash region, UKEXEC-CRASHK, dumped after the load).

Rules (issue 12): the same segment table (A's from the kernel's pr_debug
"Loading segment" lines, B's from ukexec's --dump-plan manifest, less our
purgatory); every byte of the kernel's segments equal but the values of the
DTB's /chosen/kaslr-seed and /chosen/rng-seed (random in each load: reported
apart, with their offsets, which must be the same in A and B); B's
purgatory segment reported apart (for -p, where it has not run: its bytes
must hash to the manifest's sha256, zeros past bufsz); for -l at the stop
pc = the kernel segment, x0 = the DTB segment and x1..x3 = 0 in both boots;
for -p every byte of the crash region outside the segments equal too.
Prints a report, "FINDING ..." per difference and "SUMMARY ..." last.
Exit 0: no finding; 1: findings; 2: unusable inputs.
"""
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import fdtprops  # noqa: E402
from memcompare import diff_runs, masked, nbytes, hexb  # noqa: E402

SEEDS = ("kaslr-seed", "rng-seed")
# the kernel's "Loaded <name> at" (arch/arm64/kernel/kexec_image.c,
# machine_kexec_file.c) in the manifest's words
KERNEL_NAMES = {"kernel": "kernel", "initrd": "initrd", "dtb": "dtb", "elf core header": "elfcorehdr"}


class Unusable(Exception):
    pass


class Seg:
    def __init__(self, idx, mem, memsz, bufsz, what, sha256=None):
        self.idx, self.mem, self.memsz, self.bufsz, self.what = idx, mem, memsz, bufsz, what
        self.sha256 = sha256

    def key(self):
        return (self.mem, self.memsz, self.bufsz)

    def __str__(self):
        return "segment[%d] %-10s mem=0x%x memsz=0x%x bufsz=0x%x" % (
            self.idx, self.what, self.mem, self.memsz, self.bufsz)


class Boot:
    def __init__(self, d):
        self.dir = d
        try:
            with open(os.path.join(d, "console.log"), errors="replace") as f:
                self.lines = f.read().replace("\r", "").splitlines()
        except OSError as e:
            raise Unusable("%s: %s" % (d, e))
        m = self.tagged("UKEXEC-ORACLE ")
        self.mode = m[0].split()[0] if m else "?"
        self.name = {"s": "A (kexec -s)", "c": "B (kexec -c)"}.get(self.mode, d)

    def tagged(self, tag):
        return [l[len(tag):] for l in self.lines if l.startswith(tag)]

    def table(self, what):
        """the segment table of the -WHAT load: the kernel's, else ukexec's"""
        klog = self.tagged("UKEXEC-KLOG-%s: " % what)
        names = {}
        for l in klog:
            m = re.match(r"Loaded (.+?) at 0x([0-9a-f]+) ", l)
            if m:
                names[int(m.group(2), 16)] = KERNEL_NAMES.get(m.group(1), m.group(1))
        segs = []
        for l in klog:
            m = re.match(r"(?:Loading segment |segment\[)(\d+)\]?: buf=\S+ bufsz=0x([0-9a-f]+) "
                         r"mem=0x([0-9a-f]+) memsz=0x([0-9a-f]+)", l)
            if m:
                mem = int(m.group(3), 16)
                segs.append(Seg(int(m.group(1)), mem, int(m.group(4), 16), int(m.group(2), 16),
                                names.get(mem, "?")))
        if segs:
            return segs, "the kernel's pr_debug"
        for l in self.tagged("UKEXEC-MANIFEST-%s: " % what):
            f = l.split()
            if f[0] == "segment" and len(f) == 8:
                segs.append(Seg(int(f[1]), int(f[3], 16), int(f[4], 16), int(f[5], 16), f[7], f[6]))
        if segs:
            return segs, "ukexec's manifest"
        raise Unusable("%s: no segment table of -%s in %s/console.log (%s)" % (
            self.name, what, self.dir, "; ".join(self.tagged("UKEXEC-FAIL")[:2]) or "no UKEXEC-FAIL"))

    def read(self, name, size):
        path = os.path.join(self.dir, name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise Unusable("%s: %s" % (self.name, e))
        if len(data) != size:
            raise Unusable("%s: %s has %d bytes, not 0x%x" % (self.name, path, len(data), size))
        return data


def seeds_of(name, dtb):
    """{seed: (offset, length)} of /chosen's seed properties' values"""
    try:
        return {p: (off, n) for node, p, off, n in fdtprops.props(dtb) if node == "/chosen" and p in SEEDS}
    except (ValueError, IndexError) as e:
        raise Unusable("%s: its DTB segment: %s" % (name, e))


class Report:
    def __init__(self):
        self.findings = []
        self.compared = 0
        self.differ = 0

    def finding(self, msg):
        self.findings.append(msg)
        print("FINDING " + msg)

    def compare(self, what, a, b, mem, masks=(), limit=16):
        """A's bytes a against B's b, both from guest address mem (masks:
        [(off, n)] left out); offsets reported from the start"""
        runs = diff_runs(masked(a, masks), masked(b, masks))
        n = len(a) - sum(m[1] for m in masks)
        self.compared += n
        self.differ += nbytes(runs)
        print("  %s: %d bytes compared, %d differ" % (what, n, nbytes(runs)))
        for lo, hi in runs[:limit]:
            self.finding("%s +0x%x..+0x%x (%d bytes): A %s B %s, at 0x%x" % (
                what, lo, hi, hi - lo, hexb(a[lo:hi]), hexb(b[lo:hi]), mem + lo))
        if len(runs) > limit:
            self.finding("%s: %d more differing runs" % (what, len(runs) - limit))


def tables(r, a, b, what):
    """A's and B's tables of -WHAT: (A's, B's less the purgatory, B's purgatory)"""
    ta, src_a = a.table(what)
    tb, src_b = b.table(what)
    purg = [s for s in tb if s.what == "purgatory"]
    tb = [s for s in tb if s.what != "purgatory"]
    print("-%s segment tables: A from %s, B from %s" % (what, src_a, src_b))
    for i in range(max(len(ta), len(tb))):
        print("  A %-58s | B %s" % (ta[i] if i < len(ta) else "-", tb[i] if i < len(tb) else "-"))
    for s in purg:
        print("  B %s (ours: reported apart)" % s)
    if [s.key() for s in ta] != [s.key() for s in tb]:
        r.finding("-%s: B's segment table (less its purgatory) is not A's" % what)
    if len(purg) != 1:
        r.finding("-%s: B has %d purgatory segments, not 1" % (what, len(purg)))
    return ta, tb, purg


def dtb_masks(r, what, seg, da, db):
    """the seed values of A's DTB segment (the kernel's: the reference),
    where B must have them too: reported, and returned as masks"""
    sa = seeds_of("A", da[:seg.bufsz])
    try:
        sb = seeds_of("B", db[:seg.bufsz])
    except Unusable as e:
        r.finding("-%s dtb: %s (A's seed offsets used)" % (what, e))
        sb = sa
    masks, said = [], []
    for p in SEEDS:
        if sa.get(p) != sb.get(p):
            r.finding("-%s dtb: %s at %s in A, %s in B" % (what, p, fmt_prop(sa.get(p)), fmt_prop(sb.get(p))))
            continue
        if p not in sa:
            said.append("%s absent" % p)
            continue
        off, n = sa[p]
        masks.append((off, n))
        va, vb = da[off:off + n], db[off:off + n]
        said.append("%s dtb+0x%x (at 0x%x, %d bytes): A %s B %s%s" % (
            p, off, seg.mem + off, n, hexb(va, 8), hexb(vb, 8),
            " (equal!)" if va == vb else ""))
        print("  seed %s" % said[-1])
    return masks, said


def fmt_prop(p):
    return "+0x%x (%d bytes)" % p if p else "nowhere"


def stop_regs(r, boot, kernel, dtb):
    try:
        with open(os.path.join(boot.dir, "gdb.json")) as f:
            j = json.load(f)
        regs = {k: int(v, 16) for k, v in j["regs"].items()}
    except (OSError, ValueError, KeyError) as e:
        r.finding("%s: no registers at the stop (%s)" % (boot.name, e))
        return "?"
    said = "pc=0x%x EL%d x0=0x%x x1=0x%x x2=0x%x x3=0x%x" % (
        regs["pc"], regs.get("el", -1), regs["x0"], regs["x1"], regs["x2"], regs["x3"])
    print("  %s at the stop: %s" % (boot.name, said))
    if regs["pc"] != kernel.mem:
        r.finding("%s: stopped at pc 0x%x, not the kernel's entry 0x%x" % (boot.name, regs["pc"], kernel.mem))
    if regs["x0"] != dtb.mem:
        r.finding("%s: x0 = 0x%x, not the DTB 0x%x" % (boot.name, regs["x0"], dtb.mem))
    for x in ("x1", "x2", "x3"):
        if regs[x]:
            r.finding("%s: %s = 0x%x, not 0" % (boot.name, x, regs[x]))
    return said


def by_name(segs, what):
    s = [x for x in segs if x.what == what]
    if len(s) != 1:
        raise Unusable("%d %s segments in %s" % (len(s), what, " ".join(x.what for x in segs)))
    return s[0]


def compare_l(r, a, b):
    ta, tb, purg = tables(r, a, b, "l")
    kernel, dtb = by_name(ta, "kernel"), by_name(ta, "dtb")
    print("-l at the next kernel's first instruction (0x%x):" % kernel.mem)
    regs = [stop_regs(r, x, kernel, dtb) for x in (a, b)]
    seeds = []
    for sa, sb in zip(ta, tb):
        da, db = a.read("l-%d.bin" % sa.idx, sa.memsz), b.read("l-%d.bin" % sb.idx, sb.memsz)
        masks = []
        if sa.what == "dtb":
            masks, seeds = dtb_masks(r, "l", sa, da, db)
        r.compare("-l segment[%d] %s" % (sa.idx, sa.what), da, db, sa.mem, masks)
    for p in purg:
        print("  B's purgatory segment[%d] 0x%x+0x%x: ours, not compared (it has run: its stack and"
              " variables are written)" % (p.idx, p.mem, p.memsz))
    return "-l: %d segments (%s), %d bytes compared, %d differ outside the seeds; seeds: %s;" \
        " B's purgatory segment[%s] apart; A: %s; B: %s" % (
            len(ta), ", ".join(s.what for s in ta), r.compared, r.differ, "; ".join(seeds) or "none",
            ",".join(str(p.idx) for p in purg), regs[0], regs[1])


def crash_region(boot):
    f = boot.tagged("UKEXEC-CRASHK ")
    try:
        start, end = (int(x, 16) for x in f[0].split())
    except (IndexError, ValueError):
        raise Unusable("%s: no crash region (UKEXEC-CRASHK) in its console log" % boot.name)
    return start, end + 1 - start


PAGE = 0x1000


def kimage_alloc_crash_control_pages(segs, start, size, count=2):
    """The pages the kernel takes for itself in the crash region at a -p load
    (kernel/kexec_core.c): its control code page, then the vmcoreinfo copy
    (kimage_crash_copy_vmcoreinfo); each the first free page after the last,
    skipping the segments. Our purgatory is a segment the kernel's plan has
    not, so in B they come after it: the same pages, elsewhere."""
    pages, cursor = [], start
    for _ in range(count):
        hole = (cursor + PAGE - 1) & ~(PAGE - 1)
        while hole + PAGE <= start + size:
            s = next((s for s in segs if hole + PAGE - 1 >= s.mem and hole <= s.mem + s.memsz - 1), None)
            if not s:
                break
            hole = (s.mem + s.memsz - 1 + PAGE - 1) & ~(PAGE - 1)
        else:
            raise Unusable("no free page for the kernel in the crash region")
        pages.append(hole)
        cursor = hole + PAGE - 1
    return pages


def gaps(start, size, spans):
    """[(lo, hi)] of [start, start+size) outside the spans [(lo, hi)]"""
    out, pos = [], start
    for lo, hi in sorted(spans):
        if lo > pos:
            out.append((pos, lo))
        pos = max(pos, hi)
    if pos < start + size:
        out.append((pos, start + size))
    return out


def compare_p(r, a, b):
    ta, tb, purg = tables(r, a, b, "p")
    (start, size), rb = crash_region(a), crash_region(b)
    if (start, size) != rb:
        raise Unusable("crash regions differ: A 0x%x+0x%x, B 0x%x+0x%x" % (start, size, rb[0], rb[1]))
    ma, mb = a.read("crash.bin", size), b.read("crash.bin", size)
    print("-p: the crash region 0x%x-0x%x (%d MiB) after the load" % (start, start + size - 1, size >> 20))
    for s in ta + purg:
        if s.mem < start or s.mem + s.memsz > start + size:
            raise Unusable("-p %s 0x%x+0x%x lies outside the crash region" % (s.what, s.mem, s.memsz))
    seeds = []
    for s in ta:
        o = s.mem - start
        da, db = ma[o:o + s.memsz], mb[o:o + s.memsz]
        masks = []
        if s.what == "dtb":
            masks, seeds = dtb_masks(r, "p", s, da, db)
        r.compare("-p segment[%d] %s" % (s.idx, s.what), da, db, s.mem, masks)
    for s in purg:
        o = s.mem - start
        db = mb[o:o + s.memsz]
        ok = hashlib.sha256(db[:s.bufsz]).hexdigest() == s.sha256 and not any(db[s.bufsz:])
        print("  B's purgatory segment[%d] 0x%x+0x%x: ours, not compared; %s" % (
            s.idx, s.mem, s.memsz, "its bytes as planned (the manifest's sha256, zeros past bufsz)"
            if ok else "NOT as planned"))
        if not ok:
            r.finding("-p B's purgatory segment[%d]: its memory is not the planned buffer" % s.idx)
    pa = kimage_alloc_crash_control_pages(ta, start, size)
    pb = kimage_alloc_crash_control_pages(tb + purg, start, size)
    names = ("control code page", "vmcoreinfo copy")
    for nm, x, y in zip(names, pa, pb):
        print("  the kernel's %s: A 0x%x, B 0x%x%s" % (nm, x, y, " (after our purgatory)" if x != y else ""))
        r.compare("-p the kernel's %s" % nm, ma[x - start:x - start + PAGE], mb[y - start:y - start + PAGE], y)
    apart = [(s.mem, s.mem + s.memsz) for s in ta + purg] + [(p, p + PAGE) for p in pa + pb]
    for lo, hi in gaps(start, size, apart):
        r.compare("-p crash region 0x%x..0x%x (no segment)" % (lo, hi),
                  ma[lo - start:hi - start], mb[lo - start:hi - start], lo)
    return "-p: %d segments (%s) in the crash region 0x%x+0x%x, %d bytes compared (the whole region but" \
        " B's purgatory), %d differ outside the seeds; seeds: %s; B's purgatory segment[%s] apart; the" \
        " kernel's control page and vmcoreinfo copy at A 0x%x, 0x%x and B 0x%x, 0x%x (after the purgatory)" % (
            len(ta), ", ".join(s.what for s in ta), start, size, r.compared, r.differ,
            "; ".join(seeds) or "none", ",".join(str(p.idx) for p in purg), pa[0], pa[1], pb[0], pb[1])


def dumps(d):
    b = Boot(d)
    segs, _ = b.table("l")
    print("BREAK 0x%x" % by_name(segs, "kernel").mem)
    for s in segs:
        print("DUMP 0x%x:0x%x:%s" % (s.mem, s.memsz, os.path.join(os.path.abspath(d), "l-%d.bin" % s.idx)))


def flips(d):
    """where the check of the check flips a byte in B's dumps, and the
    comparison's words for it: one line "WHAT FILE OFFSET LABEL" each: the
    -l kernel at +0x1234, the -l DTB's byte after the kaslr-seed value (the
    next tag: the seed mask must not reach it), the -p initrd at +0x100"""
    b = Boot(d)
    segs, _ = b.table("l")
    k, dtb = by_name(segs, "kernel"), by_name(segs, "dtb")
    off, n = seeds_of(b.name, b.read("l-%d.bin" % dtb.idx, dtb.memsz))["kaslr-seed"]
    print("l l-%d.bin 0x1234 segment[%d] kernel +0x1234" % (k.idx, k.idx))
    print("l l-%d.bin 0x%x segment[%d] dtb +0x%x" % (dtb.idx, off + n, dtb.idx, off + n))
    segs, _ = b.table("p")
    initrd = by_name(segs, "initrd")
    start, _ = crash_region(b)
    print("p crash.bin 0x%x segment[%d] initrd +0x100" % (initrd.mem - start + 0x100, initrd.idx))


def main(argv):
    r = Report()
    try:
        if len(argv) == 3 and argv[1] in ("dumps", "flips"):
            (dumps if argv[1] == "dumps" else flips)(argv[2])
            return 0
        if len(argv) != 4 or argv[1] not in ("l", "p"):
            print(__doc__.split("\n\n")[1])
            return 2
        a, b = Boot(argv[2]), Boot(argv[3])
        if (a.mode, b.mode) != ("s", "c"):
            raise Unusable("A is a kexec -%s boot, B a kexec -%s one (want s and c)" % (a.mode, b.mode))
        summary = (compare_l if argv[1] == "l" else compare_p)(r, a, b)
    except Unusable as e:
        print("unusable: %s" % e)
        print("SUMMARY unusable inputs: %s" % e)
        return 2
    print("SUMMARY %s%s" % (summary, "; %d FINDINGS" % len(r.findings) if r.findings else ""))
    return 1 if r.findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
