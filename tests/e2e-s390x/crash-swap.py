#!/usr/bin/env python3
"""The s390x crash-kernel swap of ukexec's purgatory, run in qemu-system-s390x.

usage: crash-swap.py OLD_KERNEL.elf PARAMS_ADDR WAIT_LABELS KDUMP_ENTRY CASE...
  CASE: swap:PLANDIR:CRASH_START:CRASH_SIZE    the swap is done (11 tests)
        refuse:PLANDIR:CRASH_START:CRASH_SIZE  the plan leaves no room for the
                                               moved purgatory (3 tests)

OLD_KERNEL.elf (tests/e2e-s390x/crash-swap/old-kernel.S) fills [0, crash_size)
with OLD_PATTERN + address, calls the purgatory of the plan in PLANDIR (a
ukexec --dump-plan of a crash load) as Linux's __do_machine_kdump does, and
the purgatory swaps and starts the crash kernel, which stops in a disabled
wait at KDUMP_ENTRY. The segments are put into guest memory by QEMU's
generic loader, exactly where the plan says; PARAMS_ADDR receives the entry,
crash_size and a byte to flip. WAIT_LABELS is "addr=name,...": the old
kernel's failure waits. One QEMU run per case.

What the swap must leave, by the rule of the kernel's s390 purgatory and of
the crash kernel that reads old memory (oldmem base/size in the parmarea):
  - the crash region holds the old memory: crash_start + x has what x had,
    for every x in [0, crash_size)
  - every digest region (each segment but the purgatory) is at its offset
    from 0, zero-filled to its memsz
  - the rest of [0, crash_size) still has the old memory, except the top 8 KiB
    where the purgatory ran from
  - absolute 0 holds the short PSW the load-normal reset took: 31-bit
    addressing, the kdump entry (what the kernel's purgatory stores there)
  - nothing beyond either range is written
A plan whose digest regions reach into the top 8 KiB of the crash region
cannot be swapped that way (the kernel's purgatory would overwrite its own
code): ukexec's stops in a disabled wait first, memory as it was.
"""
import array
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from qmp import QMP  # noqa: E402
import tap  # noqa: E402
from tap import ok  # noqa: E402

OLD_PATTERN = 0x5A5A000000000000
MOVED = 8192  # what the purgatory moves to the top of [0, crash_size)
GUARD = 1 << 20
SHORT_PSW = 0x0008000080000000


def old_memory(start, size):
    """The pattern old-kernel.S wrote over [start, start + size)."""
    a = array.array("Q", range(OLD_PATTERN + start, OLD_PATTERN + start + size, 8))
    if sys.byteorder == "little":
        a.byteswap()
    return a.tobytes()


def first_difference(got, want, base):
    if got == want:
        return None
    for i in range(0, len(want), 4096):
        if got[i:i + 4096] != want[i:i + 4096]:
            for j in range(i, min(i + 4096, len(want))):
                if got[j] != want[j]:
                    return "first difference at 0x%x: 0x%02x, want 0x%02x" % (base + j, got[j], want[j])
    return "length %d, want %d" % (len(got), len(want))


def read_plan(plandir):
    entry, segs = None, []
    for line in open(os.path.join(plandir, "manifest")):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "entry":
            entry = int(w[1], 16)
        elif w[0] == "segment":
            segs.append({"file": os.path.join(plandir, w[2]), "mem": int(w[3], 16),
                         "memsz": int(w[4], 16), "bufsz": int(w[5], 16), "what": " ".join(w[7:])})
    return entry, segs


def check_low(low, segs, crash_start, crash_size, kdump_entry):
    """The problems of [0, crash_size) after the swap, as a list of strings."""
    bad = []
    want = bytearray(old_memory(0, crash_size - MOVED))
    for s in segs:
        if s["what"] == "purgatory":
            continue  # not a digest region: the kernel's purgatory leaves it behind too
        off = s["mem"] - crash_start
        data = open(s["file"], "rb").read()
        want[off:off + s["memsz"]] = data + b"\0" * (s["memsz"] - len(data))
    want[0:8] = (SHORT_PSW | kdump_entry).to_bytes(8, "big")
    d = first_difference(low[:crash_size - MOVED], bytes(want), 0)
    if d:
        bad.append(d)
    return bad


def run_guest(elf, params, plandir, crash_start, crash_size, dumps):
    """Boot the old kernel with the plan in memory; wait for its stop.
    Returns the stopped PSW address (None if none) and the dumps asked
    for ({name: (start, size)}), taken after the stop."""
    entry, segs = read_plan(plandir)
    flip = next(s for s in segs if s["what"] == "initrd")["mem"] + 100
    tmp = tempfile.mkdtemp()
    sock = os.path.join(tmp, "qmp.sock")
    cmd = ["qemu-system-s390x", "-accel", "tcg", "-m", "1G", "-smp", "1", "-nographic",
           "-no-reboot", "-S", "-action", "panic=pause", "-qmp", "unix:%s,server=on,wait=off" % sock,
           "-kernel", elf]
    for s in segs:
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (s["file"], s["mem"])]
    for i, v in enumerate((entry, crash_size, flip)):
        cmd += ["-device", "loader,addr=0x%x,data=0x%x,data-len=8,data-be=on" % (params + 8 * i, v)]
    print("# plan: entry 0x%x, crash region 0x%x+0x%x; %s" % (
        entry, crash_start, crash_size,
        ", ".join("%s 0x%x+0x%x" % (s["what"], s["mem"], s["memsz"]) for s in segs)))
    log = open(os.path.join(tmp, "qemu.log"), "w")
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    addr, got = None, {}
    try:
        q = QMP(sock)
        t0 = time.monotonic()
        q.cmd("cont")
        q.sock.settimeout(float(os.environ.get("UKEXEC_S390X_TIMEOUT", "300")))
        try:
            while addr is None:
                ev = q.recv()
                if ev.get("event") == "GUEST_PANICKED":
                    addr = ev["data"].get("info", {}).get("psw-addr")
                elif ev.get("event") == "SHUTDOWN":
                    break
        except (OSError, EOFError) as e:
            print("# no guest panic: %s" % e)
        print("# stopped after %.1fs under TCG" % (time.monotonic() - t0))
        if addr is not None:
            for name, (start, size) in dumps.items():
                path = os.path.join(tmp, name)
                q.cmd("pmemsave", val=start, size=size, filename=path)
                got[name] = open(path, "rb").read()
                os.unlink(path)
        q.cmd("quit")
    finally:
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()
        log.close()
    if addr is None:
        for line in open(os.path.join(tmp, "qemu.log")).read().splitlines()[-10:]:
            print("# qemu: " + line)
    return addr, got, segs, flip


def case_swap(elf, params, waits, kdump_entry, plandir, crash_start, crash_size):
    addr, got, segs, flip = run_guest(elf, params, plandir, crash_start, crash_size, {
        "low": (0, crash_size), "crash": (crash_start, crash_size),
        "above-low": (crash_size, GUARD), "above-crash": (crash_start + crash_size, GUARD)})
    where = "0x%x" % addr if addr is not None else "nowhere"
    if addr in waits:
        where += " (old kernel: %s)" % waits[addr]
    elif addr == kdump_entry:
        where += " (crash kernel, STARTUP_KDUMP_OFFSET)"
    print("# stopped at %s" % where)
    ok(addr is not None and waits.get(addr) not in ("intact_rejected", "registers_lost"),
       "purgatory(0) on the intact plan returns 0 with %r6-%r15 kept")
    ok(addr is not None and waits.get(addr) != "corrupt_accepted",
       "purgatory(0) with one initrd byte flipped does not return 0")
    if not ok(addr == kdump_entry,
              "purgatory(1) swaps and enters the crash kernel at 0x%x through diag 308" % kdump_entry):
        for i in range(8):
            ok(False, "(skipped: the crash kernel was not reached)")
        return
    low, crash = got["low"], got["crash"]

    d = first_difference(crash, old_memory(0, crash_size), crash_start)
    ok(d is None, "crash region = the old memory [0, 0x%x), all %d bytes%s" % (
        crash_size, crash_size, ": " + d if d else ""))
    d = first_difference(crash[crash_size - MOVED:], old_memory(crash_size - MOVED, MOVED),
                         crash_start + crash_size - MOVED)
    ok(d is None, "the old memory under the moved purgatory (top 8 KiB) is in the crash region%s" %
       (": " + d if d else ""))
    bad = check_low(low, segs, crash_start, crash_size, kdump_entry)
    ok(not bad, "[0, 0x%x): the digest regions at their offsets, old memory elsewhere%s" % (
        crash_size - MOVED, ": " + bad[0] if bad else ""))
    regions = [s for s in segs if s["what"] != "purgatory"]

    def in_place(s):
        off = s["mem"] - crash_start
        skip = 8 if off == 0 else 0  # the PSW at 0
        return low[off + skip:off + s["bufsz"]] == open(s["file"], "rb").read()[skip:]
    ok(all(in_place(s) for s in regions),
       "kernel (after the PSW at 0), initrd and IPL report byte for byte at mem - crash_start (%s)" %
       ", ".join("0x%x" % (s["mem"] - crash_start) for s in regions))
    ok(got["above-low"] == b"\0" * GUARD and got["above-crash"] == b"\0" * GUARD,
       "nothing written in the 1 MiB above either range")
    # check of the check: one byte off in the initrd, one in the crash region
    bent = bytearray(low)
    bent[flip - crash_start] ^= 1
    ok(check_low(bytes(bent), segs, crash_start, crash_size, kdump_entry) != [],
       "the comparison sees one initrd byte flipped after the swap")
    bent = bytearray(crash)
    bent[crash_size // 2] ^= 1
    ok(first_difference(bytes(bent), old_memory(0, crash_size), crash_start) is not None,
       "the comparison sees one old-memory byte flipped")
    ok(len(low) == crash_size and len(crash) == crash_size, "dumps of 0x%x bytes" % crash_size)


def case_refuse(elf, params, waits, kdump_entry, plandir, crash_start, crash_size):
    addr, got, segs, flip = run_guest(elf, params, plandir, crash_start, crash_size, {
        "low": (0, crash_size), "crash": (crash_start, crash_size)})
    purg = next(s for s in segs if s["what"] == "purgatory")
    print("# stopped at %s" % ("0x%x" % addr if addr is not None else "nowhere"))
    ok(addr is not None and purg["mem"] <= addr < purg["mem"] + purg["memsz"],
       "digest regions reaching into the top 8 KiB: the purgatory stops in a disabled wait")
    if addr is None:
        ok(False, "(skipped: no stop)")
        ok(False, "(skipped: no stop)")
        return
    d = first_difference(got["low"], old_memory(0, crash_size), 0)
    ok(d is None, "[0, 0x%x) untouched%s" % (crash_size, ": " + d if d else ""))
    crash = got["crash"]
    same = all(crash[s["mem"] - crash_start:s["mem"] - crash_start + s["bufsz"]] ==
               open(s["file"], "rb").read() for s in segs if s["what"] != "purgatory")
    ok(same, "the crash region still holds the plan")


def main():
    elf, params, labels, kdump_entry = sys.argv[1:5]
    params, kdump_entry = int(params, 0), int(kdump_entry, 0)
    waits = {}
    for item in labels.split(","):
        if item:
            a, name = item.split("=")
            waits[int(a, 0)] = name
    cases = [c.split(":") for c in sys.argv[5:]]
    print("1..%d" % sum(11 if c[0] == "swap" else 3 for c in cases))
    for kind, plandir, start, size in cases:
        print("# case %s: %s" % (kind, plandir))
        run = case_swap if kind == "swap" else case_refuse
        run(elf, params, waits, kdump_entry, plandir, int(start, 0), int(size, 0))
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
