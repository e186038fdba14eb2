#!/usr/bin/env python3
"""Stop a QEMU guest at an address and dump memory: a small GDB remote
protocol client for the e2e oracle (what did a kexec load put in RAM?).

    gdbdump.py --gdb SOCK --break ADDR... [--qmp QSOCK] [--dump START:SIZE:FILE]...
               [--then SHELL-CMD] [--timeout S] [--quit] [--arch x86_64|aarch64|ppc64]

QEMU runs with -chardev socket,id=g,path=SOCK,server=on,wait=off -gdb chardev:g
(and -qmp unix:QSOCK,server=on,wait=off for fast dumps). The client attaches
(QEMU stops the guest), sets a hardware breakpoint (Z1,ADDR,1), continues,
runs --then (e.g. tell the guest to kexec -e), and waits for the stop. Then
it reads the registers ("g": rip, rsi, rsp...; aarch64: x0..x30, sp, pc,
cpsr) and dumps each range of guest
physical memory: with --qmp through pmemsave (fast), else through "m" reads
(virtual addresses: fine at the purgatory entry, where the mapping is the
identity). Prints one JSON object: the stop reply, the registers, the dumps.
--quit ends QEMU afterwards (QMP quit, else the gdb "k" packet).
A stop elsewhere (aarch64: or at ADDR at EL0, a user address that is not the
physical one) is passed over with "c", up to 20 stops.
ppc64 (QEMU pseries): the registers come one by one ("p": r0..r31, pc, msr,
after the client has read the target description, without which QEMU 7.2
answers no "p" and asserts on "g"), in the byte order of the guest's MSR_LE
at the stop; a stop counts only in real mode (MSR IR and DR off), where the
address is the physical one.
--break may be given more than once: every breakpoint is set at once and
the guest goes on after each hit until all were hit, the dumps taken at each
("{n}" in a dump's FILE: the breakpoint's index, 0 for the first). The JSON
then has "stops", one object per breakpoint in --break order; its top-level
"stop", "regs" and "dumps" are the first breakpoint's.
Exit 0 when every breakpoint was hit and every dump was written.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMP  # noqa: E402

# qemu-system-x86_64's "g" packet: 16 GPRs, rip (8 bytes each), eflags,
# cs, ss, ds, es, fs, gs (4 bytes each), ...
# qemu-system-aarch64's: x0..x30, sp, pc (8 bytes each), cpsr (4 bytes)
ARCHES = {
    "x86_64": {"regs": ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip"],
               "pc": "rip", "kind": 1},
    "aarch64": {"regs": ["x%d" % i for i in range(31)] + ["sp", "pc"],
                "pc": "pc", "kind": 4, "cpsr": 33},
    # qemu-system-ppc64's register numbers: r0..r31, pc 64, msr 65
    "ppc64": {"regs": ["r%d" % i for i in range(32)] + ["pc", "msr"],
              "pc": "pc", "kind": 4, "p": list(range(32)) + [64, 65]},
}
MSR_LE, MSR_DR_IR = 0x1, 0x30


def connect_unix(path, timeout):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class GDB:
    def __init__(self, path, timeout=30.0):
        self.sock = connect_unix(path, timeout)
        self.buf = b""
        self.timeout = timeout

    def _byte(self, deadline):
        while not self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("gdb: no answer")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("gdb: connection closed")
            self.buf += chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def recv(self, timeout=None):
        """The next packet's payload (acks and noise before '$' skipped)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while self._byte(deadline) != b"$":
            pass
        data = b""
        while True:
            c = self._byte(deadline)
            if c == b"#":
                break
            data += c
        cs = self._byte(deadline) + self._byte(deadline)
        if int(cs, 16) != sum(data) & 0xFF:
            self.sock.sendall(b"-")
            raise ValueError("gdb: bad checksum")
        try:
            self.sock.sendall(b"+")
        except OSError:  # QEMU ended right after its last packet (W/X)
            pass
        return self._unescape(data).decode("latin-1")

    @staticmethod
    def _unescape(data):
        out = bytearray()
        i = 0
        while i < len(data):
            c = data[i]
            if c == 0x7D:  # '}' escape
                i += 1
                out.append(data[i] ^ 0x20)
            elif c == 0x2A and out:  # '*' run length
                i += 1
                out += bytes([out[-1]]) * (data[i] - 29)
            else:
                out.append(c)
            i += 1
        return bytes(out)

    def send(self, payload):
        p = payload.encode("latin-1")
        self.sock.sendall(b"$" + p + b"#%02x" % (sum(p) & 0xFF))

    def cmd(self, payload, timeout=None):
        self.send(payload)
        return self.recv(timeout)

    def drain(self, quiet=0.3):
        """Drop whatever the stub sent unasked (QEMU's stop packet on attach)."""
        got = []
        while True:
            try:
                got.append(self.recv(quiet))
            except TimeoutError:
                return got


def parse_regs(g, arch="x86_64"):
    t = ARCHES[arch]
    regs = {}
    for i, name in enumerate(t["regs"]):
        regs[name] = int.from_bytes(bytes.fromhex(g[16 * i:16 * i + 16]), "little")
    if "cpsr" in t:
        o = 16 * t["cpsr"]
        regs["cpsr"] = int.from_bytes(bytes.fromhex(g[o:o + 8]), "little")
        regs["el"] = (regs["cpsr"] >> 2) & 3
    return regs


def read_regs(g, arch):
    """the registers at a stop: one "g" packet, or ppc64's "p" packets"""
    t = ARCHES[arch]
    if "p" not in t:
        return parse_regs(g.cmd("g"), arch)
    raw = [bytes.fromhex(g.cmd("p%x" % n)) for n in t["p"]]
    # QEMU swaps the bytes of every register when MSR_LE is set: the one
    # order in which the MSR reads back consistent with its own LE bit
    order = "little" if int.from_bytes(raw[-1], "little") & MSR_LE else "big"
    return {name: int.from_bytes(v, order) for name, v in zip(t["regs"], raw)}


def at_break(arch, regs, brk):
    """the stop is the breakpoint's: the PC, on aarch64 not user mode, on
    ppc64 real mode"""
    if regs[ARCHES[arch]["pc"]] != brk:
        return False
    if arch == "ppc64":
        return not regs["msr"] & MSR_DR_IR
    return regs.get("el", 1) != 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gdb", required=True)
    ap.add_argument("--qmp")
    ap.add_argument("--break", dest="brk", required=True, action="append", type=lambda s: int(s, 0))
    ap.add_argument("--dump", action="append", default=[])
    ap.add_argument("--then")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--quit", action="store_true")
    ap.add_argument("--arch", choices=sorted(ARCHES), default="x86_64")
    a = ap.parse_args(argv[1:])

    dumps = []
    for d in a.dump:
        start, size, path = d.split(":", 2)
        dumps.append((int(start, 0), int(size, 0), path))

    # QMP first: the STOP event of the gdb attach then comes after its greeting
    q = QMP(a.qmp) if a.qmp else None
    g = GDB(a.gdb)
    out = {"break": "0x%x" % a.brk[0]}
    try:
        ok = run(g, q, a, dumps, out)
    finally:
        print(json.dumps(out))
        if a.quit:
            quit_qemu(g, q)
    return 0 if ok else 1


def quit_qemu(g, q):
    try:
        if q:
            q.cmd("quit")
        else:
            g.send("k")
    except (EOFError, OSError, RuntimeError):
        pass


def run(g, q, a, dumps, out):
    g.drain()
    out["attach"] = g.cmd("?")
    if "p" in ARCHES[a.arch]:
        g.cmd("qXfer:features:read:target.xml:0,ffb")
    kind = ARCHES[a.arch]["kind"]
    for brk in a.brk:
        r = g.cmd("Z1,%x,%d" % (brk, kind))
        if r != "OK":
            out["error"] = "Z1 0x%x: %r" % (brk, r)
            return False
    g.send("c")
    if a.then:
        subprocess.run(a.then, shell=True, check=False)
    deadline = time.monotonic() + a.timeout
    passed, hits, pending = [], {}, list(a.brk)
    while pending:
        try:
            stop = g.recv(max(deadline - time.monotonic(), 0.01))
        except TimeoutError:
            out["error"] = "no stop at %s within %g s" % (
                ", ".join("0x%x" % b for b in pending), a.timeout)
            break
        regs = read_regs(g, a.arch)
        hit = [b for b in pending if at_break(a.arch, regs, b)]
        if stop[:1] not in ("T", "S"):
            out["error"] = "the guest ended: %s" % stop
            break
        if hit:
            i = a.brk.index(hit[0])
            hits[i] = stop_at(g, q, a, dumps, i, stop, regs)
            pending.remove(hit[0])
            g.cmd("z1,%x,%d" % (hit[0], kind))
            if not pending:
                break
        else:
            passed.append({"stop": stop, "pc": "0x%x" % regs[ARCHES[a.arch]["pc"]]})
            if len(passed) > 20:
                out["error"] = "20 stops elsewhere"
                break
        g.send("c")
    if passed:
        out["passed"] = passed
    stops = [hits.get(i, {"break": "0x%x" % b, "hit": False}) for i, b in enumerate(a.brk)]
    if len(a.brk) > 1:
        out["stops"] = stops
    for k in ("stop", "regs", "dumps"):
        if k in stops[0]:
            out[k] = stops[0][k]
    out["hit"] = all(h["hit"] for h in stops)
    return out["hit"]


def stop_at(g, q, a, dumps, n, stop, regs):
    """breakpoint n was hit: its registers and dumps"""
    h = {"break": "0x%x" % a.brk[n], "stop": stop, "regs": {k: "0x%x" % v for k, v in regs.items()},
         "dumps": []}
    ok = True
    for start, size, path in dumps:
        path = path.replace("{n}", str(n))
        if q:
            q.cmd("pmemsave", val=start, size=size, filename=os.path.abspath(path))
        else:
            with open(path, "wb") as f:
                off = 0
                while off < size:
                    c = min(2048, size - off)
                    r = g.cmd("m%x,%x" % (start + off, c))
                    if r.startswith("E"):
                        raise RuntimeError("m 0x%x: %s" % (start + off, r))
                    f.write(bytes.fromhex(r))
                    off += c
        written = os.path.exists(path) and os.path.getsize(path) == size
        ok = ok and written
        h["dumps"].append({"start": "0x%x" % start, "size": "0x%x" % size, "file": path,
                           "written": written})
    h["hit"] = ok
    return h


if __name__ == "__main__":
    sys.exit(main(sys.argv))
