#!/usr/bin/env python3
"""The ppc64 -l byte oracle's comparer (tests/e2e-ppc64/load-oracle.sh): the
in-kernel loader's memory (boot A, kexec -s -l) against ukexec's (boot B,
kexec -c -l --purgatory-from=vmlinux), or, with --own-purgatory, against
boot C's (kexec -c -l, ukexec's own embedded purgatory).

    load-compare.py [--own-purgatory] A B [VMLINUX]

A boot directory holds console.log (init-load-oracle.sh's UKEXEC- lines),
table ("n bufsz mem memsz" per segment, from the kernel's pr_debug in A,
from ukexec's -d in B), gdb.json (tests/lib/gdbdump.py: stop 0 at the
purgatory's entry, stop 1 at the next kernel's first instruction) and
I-seg-N.bin ([mem, mem+memsz) of segment N at stop I).

Rules (issue 13), one "CHECK ok|fail MESSAGE" line each:
  table     the same segments (bufsz, mem, memsz), the same entry and kernel
  bytes     at the purgatory's entry (nothing of the new image has run) every
            byte of every segment equal but the values of /chosen/kaslr-seed
            and rng-seed in the device tree (the same offsets in A and B) and
            the purgatory's 32-byte digest, each boot's the SHA-256 of its own
            segments as the kernel hashes them (bufsz bytes, zeros to memsz)
  purgatory what changed between the two stops is what the purgatory writes
            (arch/powerpc/purgatory/trampoline_64.S) and no more: the FDT
            header's boot_cpuid_phys (+0x1c, big-endian) = r3 at its entry (the
            cpu), the kernel's +0x5c (run_at_load, 32 bits) = the purgatory's
            own run_at_load word; the bytes at the kernel's entry compared
            again by the rules above
  image     (with VMLINUX, the loaded ELF) A's kernel segment holds its first
            PT_LOAD's bytes, zeros to memsz: the dumps are the loaded image
  registers at the purgatory's entry r4 = the entry, r5 = 0 (kexec_sequence:
            start(cpu, start, 0)); at the kernel's r3 = the device tree,
            r4 = the kernel, r5 = 0, MSR_LE clear, real mode; in both boots
  mutations the check of the check: copies of B with one byte flipped in the
            kernel, next to the kaslr-seed value and in the initrd, and B's
            table with the initrd 0x1000 higher, must each be reported where
            the mutation is
With --own-purgatory B runs other purgatory code than A: the table may
differ in the purgatory's bufsz only (its mem and memsz must match: the code
and its stack fit the kernel's one page), its bytes are not compared, each
digest is found in its own purgatory and must be the SHA-256 of its own
boot's segments, and between the two stops B's purgatory may write its own
segment past its bufsz (its .bss: the stack) besides the two words above.
Then one "ROW segment mem memsz compared masked differing where" line per
segment (at the purgatory's entry) and "SUMMARY ...". Exit 0: every check
ok; 1: some failed; 2: unusable inputs.
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from memcompare import diff_runs, masked, nbytes  # noqa: E402
from ppc64bytes import FDT_MAGIC, DIGEST_SIZE, fdt_seeds, segments_sha256  # noqa: E402

BOOT_CPUID_PHYS = 0x1c      # struct fdt_header.boot_cpuid_phys
RUN_AT_LOAD = 0x5c          # the kernel's and the purgatory's run_at_load word
MSR_LE = 0x1


class Unusable(Exception):
    pass


class Boot:
    def __init__(self, d):
        self.dir = d
        try:
            with open(os.path.join(d, "console.log"), errors="replace") as f:
                lines = f.read().replace("\r", "").splitlines()
            with open(os.path.join(d, "gdb.json")) as f:
                self.gdb = json.load(f)
        except (OSError, ValueError) as e:
            raise Unusable("%s: %s" % (d, e))
        self.name = os.path.basename(d.rstrip("/"))

        def field(tag):
            v = [l.split()[1] for l in lines if l.startswith(tag + " ")]
            if not v:
                raise Unusable("%s: no %s line on the console" % (d, tag))
            return int(v[0], 16)
        self.entry, self.kernel = field("UKEXEC-ENTRY"), field("UKEXEC-KERNEL")
        self.table = [tuple(int(x, 16) for x in l.split()[2:5]) for l in lines
                      if l.startswith("UKEXEC-SEG ")]
        if not self.table:
            raise Unusable("%s: no segment table" % d)
        stops = self.gdb.get("stops", [])
        if len(stops) != 2 or not all(s.get("hit") for s in stops):
            raise Unusable("%s: gdb.json has not both stops" % d)
        self.regs = [{k: int(v, 16) for k, v in s["regs"].items()} for s in stops]
        self.mem = [{}, {}]
        for stop in (0, 1):
            for i in range(len(self.table)):
                p = os.path.join(d, "%d-seg-%d.bin" % (stop, i))
                try:
                    with open(p, "rb") as f:
                        self.mem[stop][i] = f.read()
                except OSError as e:
                    raise Unusable("%s: %s" % (d, e))
                if len(self.mem[stop][i]) != self.table[i][2]:
                    raise Unusable("%s: 0x%x bytes, not memsz 0x%x" % (p, len(self.mem[stop][i]),
                                                                       self.table[i][2]))

    def index(self, mem):
        return [i for i, (_, m, _) in enumerate(self.table) if m == mem]

    def what(self, i):
        mem = self.table[i][1]
        if mem == self.kernel:
            return "kernel"
        if mem == self.entry:
            return "purgatory"
        if self.mem[0][i][:4] == FDT_MAGIC:
            return "fdt"
        return "initrd"

    def seg(self, what):
        s = [i for i in range(len(self.table)) if self.what(i) == what]
        return s[0] if len(s) == 1 else None


class Report:
    def __init__(self, own=False):
        self.checks, self.findings, self.rows = [], [], []
        self.own = own      # B runs its own purgatory (--own-purgatory)

    def check(self, good, msg):
        self.checks.append((good, msg))

    def finding(self, msg):
        self.findings.append(msg)


def where(runs, limit=4):
    s = ";".join("+0x%x..+0x%x" % r for r in runs[:limit])
    return s + (";..." if len(runs) > limit else "") if runs else "-"


def digest_at(a):
    """the offset of A's digest in its purgatory: where the SHA-256 of A's
    own segments is (None if it is nowhere)"""
    p = a.seg("purgatory")
    d = segments_sha256(a.table, lambda i: a.mem[0][i], p)
    at = a.mem[0][p].find(d)
    return None if at < 0 else at


def compare_bytes(a, b, stop, rep, rows=False):
    """every segment of A and B at STOP equal but the seeds and the digest
    (with rep.own, but the purgatory); True when no byte differs"""
    same = True
    at = digest_at(a)
    for i, (bufsz, mem, memsz) in enumerate(a.table):
        what = a.what(i)
        x, y = a.mem[stop][i], b.mem[stop][i]
        masks = []
        if what == "fdt":
            sa, sb = fdt_seeds(x), fdt_seeds(y)
            if sa != sb or len(sa) != 2:
                rep.finding("stop %d fdt: the seeds at %s in %s, %s in %s" % (stop, sa, a.name, sb, b.name))
                same = False
            masks = sa
        elif what == "purgatory" and rep.own:
            masks = [(0, memsz)]
        elif what == "purgatory" and at is not None:
            masks = [(at, DIGEST_SIZE)]
        runs = diff_runs(masked(x, masks), masked(y, masks))
        for lo, hi in runs[:8]:
            rep.finding("stop %d %s 0x%x+0x%x..+0x%x (%d bytes)" % (stop, what, mem, lo, hi, hi - lo))
        same = same and not runs
        if rows:
            nm = sum(n for _, n in masks)
            rep.rows.append("ROW %d %s 0x%x 0x%x %d %d %d %s" % (
                i, what, mem, memsz, memsz - nm, nm, nbytes(runs), where(runs)))
    return same


def check_table(a, b, rep):
    def plan(boot):
        """the table, without the purgatory's bufsz when B runs its own"""
        return [(None,) + s[1:] if rep.own and s[1] == boot.entry else s for s in boot.table]
    good = plan(a) == plan(b) and a.entry == b.entry and a.kernel == b.kernel
    if not good:
        for i, (x, y) in enumerate(zip(plan(a), plan(b))):
            if x != y:
                x, y = a.table[i], b.table[i]
                rep.finding("table segment[%d]: %s 0x%x+0x%x (bufsz 0x%x), %s 0x%x+0x%x (bufsz 0x%x)" % (
                    i, a.name, x[1], x[2], x[0], b.name, y[1], y[2], y[0]))
        if len(a.table) != len(b.table):
            rep.finding("table: %d and %d segments" % (len(a.table), len(b.table)))
    own = ""
    if rep.own and good:
        p = a.seg("purgatory")
        own = ", the purgatory's bufsz 0x%x in %s, 0x%x in %s" % (a.table[p][0], a.name, b.table[p][0], b.name)
    rep.check(good, "the same segment table%s, entry 0x%x, kernel 0x%x: %s" % (
        " but the purgatory's bufsz" if rep.own else "", a.entry, a.kernel,
        "; ".join("0x%x+0x%x" % (m, s) for _, m, s in a.table)) + own)
    return good


def check_digest(boot, at, rep):
    """boot's digest at `at` is the SHA-256 of its own segments"""
    p = boot.seg("purgatory")
    want = segments_sha256(boot.table, lambda i: boot.mem[0][i], p)
    good = at is not None and boot.mem[0][p][at:at + DIGEST_SIZE] == want
    if not good:
        rep.finding("%s purgatory: its digest (+0x%s) is not the SHA-256 of its segments (%s)" % (
            boot.name, "?" if at is None else "%x" % at, want.hex()[:16]))
    return good


def check_bytes(a, b, rep):
    at = digest_at(a)
    bt = digest_at(b) if rep.own else at
    good = check_digest(a, at, rep) & check_digest(b, bt, rep)
    good = compare_bytes(a, b, 0, rep, rows=True) and good
    n = sum(s for _, _, s in a.table)
    nm = sum(int(r.split()[6]) for r in rep.rows)
    if rep.own:
        left = "the purgatory (other code; its digest at +0x%s in %s, +0x%s in %s)" % (
            "?" if at is None else "%x" % at, a.name, "?" if bt is None else "%x" % bt, b.name)
    else:
        left = "the digest at purgatory+0x%s" % ("?" if at is None else "%x" % at)
    rep.check(good, "at the purgatory's entry: %d bytes in %d segments, %d compared, %d differ; left out: the "
              "seeds %s (fdt offset, length) and %s, each boot's digest the SHA-256 of its own segments" % (
                  n, len(a.table), n - nm, sum(int(r.split()[7]) for r in rep.rows),
                  fdt_seeds(a.mem[0][a.seg("fdt")]), left))
    return good


def purgatory_writes(boot, rep, own_segment=False):
    """the changes from stop 0 to stop 1 are the purgatory's writes (with
    own_segment, anywhere in its own segment past its bufsz too: its .bss,
    the stack); a description of them"""
    good, seen = True, []
    f, k, p = boot.seg("fdt"), boot.seg("kernel"), boot.seg("purgatory")
    want = {
        (f, BOOT_CPUID_PHYS): struct.pack(">I", boot.regs[0]["r3"] & 0xffffffff),
        (k, RUN_AT_LOAD): boot.mem[0][p][RUN_AT_LOAD:RUN_AT_LOAD + 4],
    }
    for (i, off), v in want.items():
        if boot.mem[1][i][off:off + 4] != v:
            good = False
            rep.finding("%s %s+0x%x at the kernel's entry: %s, the purgatory writes %s" % (
                boot.name, boot.what(i), off, boot.mem[1][i][off:off + 4].hex(), v.hex()))
    for i in range(len(boot.table)):
        for lo, hi in diff_runs(boot.mem[0][i], boot.mem[1][i]):
            seen.append("%s+0x%x..+0x%x" % (boot.what(i), lo, hi))
            if own_segment and i == p and lo >= boot.table[p][0]:
                continue
            if not any(j == i and off <= lo and hi <= off + 4 for j, off in want):
                good = False
                rep.finding("%s %s+0x%x..+0x%x changed before the kernel's entry, not by the purgatory's "
                            "writes" % (boot.name, boot.what(i), lo, hi))
    return good, seen


def check_purgatory(a, b, rep):
    ga, sa = purgatory_writes(a, rep)
    gb, sb = purgatory_writes(b, rep, own_segment=rep.own)
    same = compare_bytes(a, b, 1, rep)
    rep.check(ga and gb and same, "the purgatory's writes before the kernel's entry: fdt+0x1c = the cpu "
              "(0x%x, 0x%x), kernel+0x5c = run_at_load%s; changed bytes: %s in %s, %s in %s; at the kernel's "
              "entry the bytes compare as at the purgatory's" % (
                  a.regs[0]["r3"], b.regs[0]["r3"],
                  ", in %s its own segment past bufsz too (the stack)" % b.name if rep.own else "",
                  runs_said(sa), a.name, runs_said(sb), b.name))


def runs_said(seen, limit=6):
    if not seen:
        return "none"
    return ", ".join(seen[:limit]) + (", ... (%d runs)" % len(seen) if len(seen) > limit else "")


def check_image(a, vmlinux, rep):
    """A's kernel segment at the purgatory's entry = the ELF's first PT_LOAD"""
    with open(vmlinux, "rb") as f:
        e = f.read()
    phoff, = struct.unpack_from("<Q", e, 0x20)
    off, _, _, filesz = struct.unpack_from("<QQQQ", e, phoff + 8)
    k = a.seg("kernel")
    x = a.mem[0][k]
    good = x[:filesz] == e[off:off + filesz] and not any(x[filesz:])
    if not good:
        runs = diff_runs(x, e[off:off + filesz] + bytes(len(x) - filesz))
        rep.finding("%s kernel: not %s's PT_LOAD at %s" % (a.name, vmlinux, where(runs)))
    rep.check(good, "%s's kernel segment at the purgatory's entry is %s's first PT_LOAD (0x%x bytes), zeros to "
              "memsz" % (a.name, os.path.basename(vmlinux), filesz))


def check_registers(a, b, rep):
    good = True
    for boot in (a, b):
        r0, r1 = boot.regs
        fdt = boot.table[boot.seg("fdt")][1]
        ok0 = r0["pc"] == boot.entry and r0["r4"] == boot.entry and r0["r5"] == 0
        ok1 = (r1["pc"] == boot.kernel and r1["r3"] == fdt and r1["r4"] == boot.kernel and r1["r5"] == 0
               and not r1["msr"] & (MSR_LE | 0x30))
        if not ok0:
            rep.finding("%s at the purgatory's entry: pc=0x%x r3=0x%x r4=0x%x r5=0x%x, want r4 = 0x%x, r5 = 0" % (
                boot.name, r0["pc"], r0["r3"], r0["r4"], r0["r5"], boot.entry))
        if not ok1:
            rep.finding("%s at the kernel's entry: pc=0x%x r3=0x%x r4=0x%x r5=0x%x msr=0x%x, want r3 = 0x%x, "
                        "r4 = 0x%x, r5 = 0, big-endian real mode" % (
                            boot.name, r1["pc"], r1["r3"], r1["r4"], r1["r5"], r1["msr"], fdt, boot.kernel))
        good = good and ok0 and ok1
    r1 = b.regs[1]
    rep.check(good, "registers at the purgatory's entry (r3 = cpu 0x%x, r4 = 0x%x, r5 = 0x%x) and at the kernel's "
              "(r3 = 0x%x the device tree, r4 = 0x%x the kernel, r5 = 0x%x, msr = 0x%x) in both boots" % (
                  b.regs[0]["r3"], b.regs[0]["r4"], b.regs[0]["r5"], r1["r3"], r1["r4"], r1["r5"], r1["msr"]))


class Mutant(Boot):
    """B with one byte flipped (stops 0 and 1) or one segment moved"""
    def __init__(self, b, seg=None, off=None, move=None):
        self.__dict__.update(b.__dict__)
        self.name = b.name + "'"
        self.mem = [dict(b.mem[0]), dict(b.mem[1])]
        self.table = list(b.table)
        if seg is not None:
            for m in self.mem:
                x = bytearray(m[seg])
                x[off] ^= 0x5a
                m[seg] = bytes(x)
        if move is not None:
            bufsz, mem, memsz = self.table[move]
            self.table[move] = (bufsz, mem + 0x1000, memsz)


def check_mutations(a, b, rep):
    k, f, i = b.seg("kernel"), b.seg("fdt"), b.seg("initrd")
    seeds = fdt_seeds(b.mem[0][f])
    cases = [("kernel", Mutant(b, k, 0x1234), "stop 0 kernel 0x%x+0x1234..+0x1235" % b.table[k][1]),
             ("fdt", Mutant(b, f, seeds[0][0] - 1), "stop 0 fdt 0x%x+0x%x..+0x%x" % (
                 b.table[f][1], seeds[0][0] - 1, seeds[0][0])),
             ("initrd", Mutant(b, i, 0x10), "stop 0 initrd 0x%x+0x10..+0x11" % b.table[i][1]),
             ("initrd placement", Mutant(b, move=i), "table segment[%d]" % i)]
    good, said = True, []
    for what, m, want in cases:
        r = Report(rep.own)
        if what == "initrd placement":
            check_table(a, m, r)
        else:
            check_bytes(a, m, r)
            check_purgatory(a, m, r)
        hit = [x for x in r.findings if x.startswith(want)]
        good = good and bool(hit) and not all(c[0] for c in r.checks)
        said.append("%s: %s" % (what, hit[0] if hit else "NOT REPORTED"))
    rep.check(good, "check of the check, each mutation of B reported: " + "; ".join(said))


def main(argv):
    own = len(argv) > 1 and argv[1] == "--own-purgatory"
    if own:
        argv = argv[:1] + argv[2:]
    if len(argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    try:
        a, b = Boot(argv[1]), Boot(argv[2])
        for boot in (a, b):
            for what in ("kernel", "purgatory", "fdt", "initrd"):
                if boot.seg(what) is None:
                    raise Unusable("%s: no single %s segment" % (boot.name, what))
    except Unusable as e:
        print("UNUSABLE %s" % e)
        return 2
    rep = Report(own)
    if check_table(a, b, rep):
        check_bytes(a, b, rep)
        check_purgatory(a, b, rep)
        if len(argv) == 4:
            check_image(a, argv[3], rep)
        check_registers(a, b, rep)
        check_mutations(a, b, rep)
    for good, msg in rep.checks:
        print("CHECK %s %s" % ("ok" if good else "fail", msg))
    for f in rep.findings:
        print("FINDING %s" % f)
    for r in rep.rows:
        print(r)
    n = sum(s for _, _, s in a.table)
    if not rep.rows:
        print("SUMMARY the segment tables differ: no bytes compared")
        return 1
    print("SUMMARY %d segments, %d bytes, %d compared, %d differ, %d checks failed" % (
        len(a.table), n, n - sum(int(r.split()[6]) for r in rep.rows), sum(int(r.split()[7]) for r in rep.rows),
        sum(not g for g, _ in rep.checks)))
    return 0 if all(g for g, _ in rep.checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
