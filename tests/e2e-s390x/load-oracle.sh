#!/bin/bash
# The byte-for-byte oracle of normal loads (kexec -l) on s390x: the kdump
# kernel of tests/e2e-s390x/kdump.sh (built from Debian's linux-source-6.1,
# with KEXEC_FILE) boots in qemu-system-s390x (TCG); its /init is
# tests/e2e-s390x/init-kdump.sh, stage "load". Two boots, same kernel, initrd
# and command line:
#
#   A  kexec -s -l (the in-kernel kexec_file loader, the kernel's purgatory)
#   B  kexec -c -l (ukexec's plan through kexec_load, ukexec's purgatory)
#
# Each prints ukexec's dry-run plan (--print-plan --dump-plan manifest, the
# planned purgatory, the kernel segment's first 8 bytes), loads, says
# UKEXEC-GDB-READY and waits for a console line. The host attaches to QEMU's
# gdbstub, sets a breakpoint at 0x10000 (STARTUP_NORMAL_OFFSET), continues,
# and says go; the guest runs kexec -e: relocate_kernel copies the segments,
# diag 308, the CPU loads the restart PSW at absolute 0 (the image's first 8
# bytes) and enters the purgatory, which checks the digest, writes a PSW for
# 0x10000 at 0 and resets again. The breakpoint (a stop at 0x10000 with DAT
# off) catches the next kernel's first instruction with the whole plan in
# place; the host dumps [0, end of the last segment) over QMP pmemsave.
# The gdb side is tests/lib/gdbdump.py's remote-protocol client (Z1: TCG
# takes a hardware breakpoint as well as a software one) and tests/lib/qmp.py:
# no gdb binary needed.
# load-compare.py: the PSW at 0 (0x0008000080010000) equal in A and B, the
# kernel from byte 8 on, the initrd and the IPL report equal byte for byte,
# B's memory as its plan says (its purgatory but the bytes it writes while
# running, named by symbol), A's purgatory not compared (a count).
#
# Cases:
#   1 load-oracle           the comparison above, of the image (bzImage: the
#                           kernel's kexec_image.c against ukexec's)
#   2 load-oracle-corrupt   (UKEXEC_E2E_CORRUPT=1; skipped otherwise) a copy
#                           of case 1's B dump with one byte of the kernel
#                           and one of the purgatory's code flipped:
#                           load-compare.py must report both
#   3 load-oracle-elf       case 1 with the same kernel as an ELF file (the
#                           decompressor's arch/s390/boot/vmlinux): the
#                           kernel's kexec_elf.c against ukexec's ELF loader
#
# Exit 77 (TAP skip under make) without the inputs: qemu-system-s390x, the
# s390x busybox (scripts/fetch-s390x), the kdump kernel
# (tests/e2e-s390x/cache/kdump-kernel/bzImage: run tests/e2e-s390x/kdump.sh
# or scripts/build-s390x-kernel), an s390x build of ukexec
# (UKEXEC_S390X_BUILD=DIR with kexec/kexec and purgatory/purgatory.ro made,
# or gcc-s390x-linux-gnu to make one). UKEXEC_S390X_TIMEOUT: seconds per
# boot (default 300). --keep DIR keeps the dumps, logs and the comparison.
# Failed boots keep their console logs in ${TMPDIR:-/tmp}.
. "$(dirname "$0")/lib.sh"

keep=
if [ "${1:-}" = --keep ]; then
	keep=$2
	mkdir -p "$keep" && keep=$(cd "$keep" && pwd) || exit 1
fi

command -v qemu-system-s390x >/dev/null || s390x_skip "no qemu-system-s390x (apt-get install qemu-system-misc)"
command -v cpio >/dev/null || s390x_skip "no cpio"
command -v python3 >/dev/null || s390x_skip "no python3"
[ -s "$cache/busybox" ] || s390x_skip "no s390x busybox in $cache (run scripts/fetch-s390x)"
kernel=$cache/kdump-kernel/bzImage
[ -s "$kernel" ] && [ -s "$cache/kdump-kernel/vmlinux" ] ||
	s390x_skip "no kdump kernel in $cache/kdump-kernel (tests/e2e-s390x/kdump.sh or scripts/build-s390x-kernel builds it)"
s390x_need_build kexec/kexec purgatory/purgatory.ro || {
	echo "1..1"
	echo "not ok 1 - s390x build of ukexec (kexec/kexec, purgatory/purgatory.ro in ${s390x_build:-?})"
	exit 1
}

tmp=$(mktemp -d) || exit 1
# a boot runs in the background: end its QEMU if we are ended
trap 'qemu_bg_kill; rm -rf "$tmp"' EXIT
timeout=${UKEXEC_S390X_TIMEOUT:-300}
w=${keep:-$tmp}
t_all=$SECONDS

# the loaded kernel never runs: its initrd is just bytes to load
kdump_initrds "$tmp"

# The gdb side of a boot: attach (QEMU stops the guest), a breakpoint at
# ADDR, continue, run THEN (the guest's go), wait for a stop at ADDR with DAT
# off (a stop with DAT on is some other code at that virtual address: go
# on), dump [0, SIZE) over QMP, quit QEMU. Prints one JSON object.
#   gdbstop E2E_DIR GDBSOCK QMPSOCK ADDR SIZE FILE THEN TIMEOUT
gdbstop='
import json, os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from gdbdump import GDB
from qmp import QMP
gsock, qsock, addr, size, path, then, tmo = sys.argv[2:9]
addr, size, tmo = int(addr, 0), int(size, 0), float(tmo)
DAT = 1 << 58                       # PSW bit 5
out = {"break": "0x%x" % addr, "stops": []}
q = QMP(qsock)                      # before the attach: its STOP event comes after the greeting
g = GDB(gsock)
ok = False
try:
    g.drain()
    out["attach"] = g.cmd("?")
    r = g.cmd("Z1,%x,2" % addr)
    out["Z1"] = r
    if r != "OK":
        raise RuntimeError("Z1: %r" % r)
    g.send("c")
    subprocess.run(then, shell=True, check=False)
    deadline = time.monotonic() + tmo
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no stop at 0x%x with DAT off within %g s" % (addr, tmo))
        stop = g.recv(left)
        if stop[:1] not in ("T", "S"):
            raise RuntimeError("stop reply %r" % stop)
        regs = g.cmd("g")
        pswm, pswa = int(regs[0:16], 16), int(regs[16:32], 16)
        gpr = [int(regs[32 + 16 * i:48 + 16 * i], 16) for i in range(16)]
        out["stops"].append({"stop": stop, "pswm": "0x%016x" % pswm, "pswa": "0x%x" % pswa})
        if pswa == addr and not pswm & DAT:
            out["regs"] = {"r%d" % i: "0x%x" % v for i, v in enumerate(gpr)}
            break
        if len(out["stops"]) >= 20:
            raise RuntimeError("20 stops, none at 0x%x with DAT off" % addr)
        g.send("c")
    g.cmd("z1,%x,2" % addr)
    q.cmd("pmemsave", val=0, size=size, filename=os.path.abspath(path))
    for i in range(50):             # the answer may come before the file is complete
        if os.path.exists(path) and os.path.getsize(path) == size:
            break
        time.sleep(0.1)
    out["written"] = os.path.exists(path) and os.path.getsize(path) == size
    ok = out["written"]
except Exception as e:
    out["error"] = "%s: %s" % (type(e).__name__, e)
finally:
    print(json.dumps(out))
    try:
        q.cmd("quit")
    except Exception:
        pass
sys.exit(0 if ok else 1)
'

# load_boot MODE DIR KERNEL: one boot (kexec -MODE -l KERNEL: vmlinuz or
# vmlinux), stopped at the next kernel's
# entry; DIR gets console.log, gdb.json, mem.bin ([0, end of the last
# planned segment)) and mem.where ("0 SIZE"). The boot's seconds: DIR/secs.
load_boot() {
	local mode=$1 d=$2 k=$3 log=$2/console.log st end
	qemu_bg_boot "$d" "$timeout" "$kernel" "$tmp/initrd1" \
		"ukexec.stage=load ukexec.mode=$mode ukexec.kernel=$k" || return 1
	qemu_bg_wait "$log" UKEXEC-GDB-READY	# a failed load powers the guest off
	st=1
	end=$(tr -d '\r' <"$log" | python3 -c 'import sys
m = max([int(l.split()[4], 16) + int(l.split()[5], 16) for l in sys.stdin
         if l.startswith("UKEXEC-MANIFEST: segment ")] or [0])
print("0x%x" % m if m else "")')
	if qemu_seen "$log" UKEXEC-GDB-READY && [ -n "$end" ]; then
		echo "0 $end" > "$d/mem.where"
		python3 -c "$gdbstop" "$qemu_lib_dir" "$d/gdb.sock" "$d/qmp.sock" 0x10000 "$end" \
			"$d/mem.bin" "echo go > '$d/in'" 120 > "$d/gdb.json" 2> "$d/gdb.err"
		st=$?
	fi
	qemu_bg_end
	return $st
}

# fail N NAME WHY [LOG]
nfail=0
fail() {
	nfail=$((nfail + 1))
	echo "not ok $1 - $2: $3"
	if [ -n "${4:-}" ]; then
		local keep_log=${TMPDIR:-/tmp}/ukexec-s390x-$2.log
		tr -d '\r' <"$4" | grep -aE "UKEXEC-(LOAD|DRYRUN|PLAN|OUT|LOADED|GO|FAIL)|kexec|Kernel panic|purgatory" |
			tail -n 25 | sed 's/^/# /'
		cp "$4" "$keep_log" && echo "# log: $keep_log"
	fi
}

# oracle_case N NAME KERNEL DIR: boots s and c of KERNEL into DIR/{s,c},
# load-compare.py; ok=1 when it passes
oracle_case() {
	local n=$1 name=$2 k=$3 w=$4 mode d st sum t=
	ok=0
	for mode in s c; do
		d=$w/$mode
		if ! load_boot "$mode" "$d" "$k"; then
			fail "$n" "$name" "boot $mode (kexec -$mode -l $k): $(qemu_field "$d/console.log" UKEXEC-LOADED | sed 's/^/LOADED /') $(head -c 400 "$d/gdb.json" 2>/dev/null)" "$d/console.log"
			return
		fi
		t="$t $mode: $(cat "$d/secs")s"
	done
	python3 "$e2e_dir/load-compare.py" --purgatory-ro "$s390x_build/purgatory/purgatory.ro" \
		"$w/s" "$w/c" > "$w/compare.txt" 2>&1
	st=$?
	sum=$(sed -n 's/^SUMMARY //p' "$w/compare.txt")
	if [ $st -eq 0 ]; then
		ok=1
		echo "ok $n - $name: $sum"
	else
		fail "$n" "$name" "load-compare.py exit $st: ${sum:-$(tail -n 1 "$w/compare.txt")}"
		for mode in s c; do
			cp "$w/$mode/console.log" "${TMPDIR:-/tmp}/ukexec-s390x-$name-$mode.log"
		done
		echo "# logs: ${TMPDIR:-/tmp}/ukexec-s390x-$name-{s,c}.log"
	fi
	grep -v '^SUMMARY ' "$w/compare.txt" | sed 's/^/# /'
	echo "# $name: boots under TCG,$t"
}

echo "1..3"
oracle_case 1 load-oracle vmlinuz "$w/image"
ok1=$ok

# 2: a copy of B with one byte flipped in its kernel (+0x5000, past the
# lowcore and the parmarea) and one in its purgatory's code (+0x100, where it
# does not write): load-compare.py must say so, by segment and offset
if [ "${UKEXEC_E2E_CORRUPT:-0}" != 1 ]; then
	echo "ok 2 - load-oracle-corrupt # SKIP UKEXEC_E2E_CORRUPT=1 runs it"
elif [ $ok1 != 1 ]; then
	echo "not ok 2 - load-oracle-corrupt: no good dumps to corrupt (case 1 failed)"
	nfail=$((nfail + 1))
else
	c=$w/image/c-corrupt
	pmem=$(tr -d '\r' <"$w/image/c/console.log" | awk '/^UKEXEC-MANIFEST: segment / && $NF == "purgatory" { print $5 }')
	rm -rf "$c" && mkdir -p "$c" && cp "$w"/image/c/{console.log,mem.where,mem.bin,gdb.json} "$c/" &&
		python3 "$qemu_lib_dir/flip.py" "$c/mem.bin" 0x5000 $((pmem + 0x100))
	python3 "$e2e_dir/load-compare.py" --purgatory-ro "$s390x_build/purgatory/purgatory.ro" \
		"$w/image/s" "$c" > "$w/compare-corrupt.txt" 2>&1
	st=$?
	if [ $st -eq 1 ] && grep -q '^FINDING segment\[0\] kernel +0x5000\.\.+0x5001 (1 bytes' "$w/compare-corrupt.txt" &&
		grep -q '^FINDING B segment\[0\] kernel: memory does not hash' "$w/compare-corrupt.txt" &&
		grep -q '^FINDING B purgatory +0x100\.\.+0x101 (' "$w/compare-corrupt.txt"; then
		echo "ok 2 - load-oracle-corrupt: the flipped bytes are reported: $(grep '^FINDING' "$w/compare-corrupt.txt" | sed 's/^FINDING //' | paste -sd ';')"
	else
		nfail=$((nfail + 1))
		echo "not ok 2 - load-oracle-corrupt: the flipped bytes were not reported (exit $st): $(tail -n 3 "$w/compare-corrupt.txt" | tr '\n' ' ')"
	fi
	sed 's/^/# corrupt: /' "$w/compare-corrupt.txt"
	rm -rf "$c"
fi
oracle_case 3 load-oracle-elf vmlinux "$w/elf"
[ -n "$keep" ] || rm -f "$w"/*/*/mem.bin
echo "# load-oracle.sh: $((SECONDS - t_all)) s"
[ $nfail -eq 0 ]
