#!/bin/bash
# The byte-for-byte oracle of normal loads (kexec -l), x86_64, Debian's 5.10, 6.1,
# 6.12 and 7.3 kernels in QEMU (TCG unless KVM really works). Guest /init:
# tests/e2e-x86_64/init-load-oracle.sh. Every boot has "nokaslr" and a command line
# of the same length, so the boots of a kernel see the same machine.
#
#   load-oracle      boot A loads with the in-kernel loader (kexec -s -d -l;
#                    6.12 logs its segment table with KEXEC_FILE_DEBUG, 6.1
#                    through dynamic debug), boot B with ukexec's plan and the
#                    kernel's own purgatory (kexec -c -d -l --purgatory-from
#                    --print-plan). Then kexec -e, and tests/e2e-x86_64/gdbdump.py
#                    stops the guest with a hardware breakpoint at the
#                    purgatory entry (6.12: the logged start:, 6.1: ukexec's
#                    --dry-run plan of the same guest, used only if its
#                    purgatory lands where the kernel's did) and dumps each
#                    segment's [mem, mem+memsz) over QMP pmemsave.
#                    tests/e2e-x86_64/load-compare.py: the segment tables and entries
#                    must be equal, and every byte but the RNG seed and
#                    purgatory_sha256_digest (each dump's digest recomputed
#                    over purgatory_sha_regions).
#   load-own         boot C: ukexec's own purgatory (kexec -c -d -l), stopped
#                    at its entry the same way: kernel and initrd segments
#                    byte-identical to boot A's, boot_params identical but the
#                    pointers that follow the placement and the seed.
#
#   tests/e2e-x86_64/load-oracle.sh [--keep DIR] BUILD_DIR
#
# BUILD_DIR: a build of this tree; a static one is made beside it
# (BUILD_DIR-static). --keep DIR: keep the dumps, logs and comparisons in
# DIR/VER (the dumps are deleted otherwise). Results: PASS/FAIL/SKIP lines
# (x86_64-VER-load-oracle, x86_64-VER-load-own) to $UKEXEC_E2E_RESULTS
# (default tests/e2e-x86_64/results-load-oracle, rewritten each run); console logs
# and comparisons in tests/e2e-x86_64/logs/. UKEXEC_E2E_KERNELS="5.10 6.1 6.12 7.3",
# UKEXEC_E2E_CASES (a regex on case names) choose what runs.
# UKEXEC_E2E_CORRUPT=1 (a check of the check): flips one byte in a copy of
# boot B's kernel segment dump and expects load-compare.py to see it.
# Exits 1 on any FAIL.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

keep=
while [ $# -gt 0 ]; do
	case $1 in
	--keep) keep=$2; shift 2 ;;
	-h|--help) e2e_help; exit 0 ;;
	*) break ;;
	esac
done
build=${1:-${TMPDIR:-/tmp}/ukexec-e2e}
e2e_setup_run results-load-oracle
case_re=${UKEXEC_E2E_CASES:-.}
result() { e2e_result "$@"; }
e2e_prepare "$build" "load-oracle load-own"

tmp=$(mktemp -d) || exit 1
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"' EXIT

# The loaded kernel's initrd: record.sh's deterministic 69857 bytes (the
# loaded kernel never runs: the guest stops at the purgatory entry)
python3 -c 'import random, sys; r = random.Random(6112); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(69857)))' \
	> "$tmp/initrd2" || exit 1
printf '%s' "console=ttyS0 panic=-1 ukexec.stage=second ukexec.marker=load-oracle" > "$tmp/cmdline-l"

# gdbdump.py with its QMP traffic on stderr, and robust to an event before
# QEMU's QMP greeting
gdbdump_traced='
import sys, time
sys.path.insert(0, "'"$qemu_lib_dir"'")
import qmp, gdbdump
recv0, cmd0 = qmp.QMP.recv, qmp.QMP.cmd
def recv(self):
    while True:
        r = recv0(self)
        sys.stderr.write("%.3f qmp< %s\n" % (time.monotonic(), r))
        # QEMU may send the STOP event of the gdb attach before its greeting:
        # qmp.py would take that event for the greeting and the greeting for
        # the answer to qmp_capabilities, and read every later answer one
        # command late. Drop what comes before the greeting.
        if getattr(self, "greeted", False) or "QMP" in r:
            self.greeted = True
            return r
        sys.stderr.write("  (before the greeting: dropped)\n")
def cmd(self, name, **a):
    sys.stderr.write("%.3f qmp> %s %s\n" % (time.monotonic(), name, a))
    return cmd0(self, name, **a)
qmp.QMP.recv, qmp.QMP.cmd = recv, cmd
sys.argv[0] = "gdbdump.py"
sys.exit(gdbdump.main(sys.argv))
'

# initramfs VER: the first kernel's initramfs (the same for every boot of VER)
initramfs() {
	local ver=$1 kernel
	[ -s "$tmp/initrd1-$ver" ] && return 0
	kernel=$(e2e_kernel "$ver") || return 1
	e2e_initramfs "$tmp/initrd1-$ver" init="$e2e_dir/init-load-oracle.sh" kexec="$static/kexec/kexec" \
		vmlinuz="$kernel" initrd2="$tmp/initrd2" cmdline-l="$tmp/cmdline-l"
}

# oracle_boot VER MODE DIR: one boot (MODE s, c or o: the same length on the
# command line); DIR gets console.log, rec/ (the guest's files), plan.txt,
# gdbdump.json and seg-I.bin (each segment's [mem, mem+memsz) at the entry)
oracle_boot() {
	local ver=$1 mode=$2 d=$3 kernel log append st
	kernel=$(e2e_kernel "$ver") || return 1
	mkdir -p "$d" && rm -rf "${d:?}"/*
	log=$d/console.log
	append=$(e2e_oracle_append "$ver" "$mode")
	mkfifo "$d/in" && exec 6<>"$d/in" || return 1
	e2e_stdin=$d/in e2e_qemu "$log" 150 "$kernel" "$tmp/initrd1-$ver" "$append" \
		-chardev "socket,id=g,path=$d/gdb.sock,server=on,wait=off" -gdb chardev:g \
		-qmp "unix:$d/qmp.sock,server=on,wait=off" &
	qpid=$!
	local t0=
	while kill -0 "$qpid" 2>/dev/null; do
		# the guest's time runs from the log's creation (QEMU has the lock)
		[ -z "$t0" ] && [ -f "$log" ] && t0=$(date +%s.%N)
		[ -f "$log" ] && { e2e_seen "$log" UKEXEC-GDB-READY || e2e_seen "$log" UKEXEC-FAIL; } && break
		sleep 0.2
	done
	end_boot() {
		python3 "$qemu_lib_dir/qmp.py" "$d/qmp.sock" quit 2>/dev/null
		exec 6>&-
		wait "$qpid"; qpid=
	}
	mkdir -p "$d/rec"
	e2e_between "$log" UKEXEC-TAR-BEGIN UKEXEC-TAR-END | sed -n 's/^UKEXEC-B64://p' |
		base64 -d | tar -xz -C "$d/rec" 2>/dev/null
	if ! e2e_seen "$log" UKEXEC-GDB-READY; then
		e2e_log "$ver $mode: the load failed: $(tail -3 "$d/rec/tool.log" 2>/dev/null | tr '\n' ' ')" \
			"$(tr -d '\r' <"$log" | grep -a UKEXEC-FAIL | head -2)"
		end_boot
		return 1
	fi
	if ! python3 "$e2e_dir/load-compare.py" --plan "$mode" "$d" > "$d/plan.txt" 2>&1; then
		e2e_log "$ver $mode: no plan to dump: $(cat "$d/plan.txt")"
		end_boot
		return 1
	fi
	local entry dumps=() i mem memsz
	entry=$(awk '$1 == "entry" { print $2 }' "$d/plan.txt")
	while read -r i mem memsz; do
		dumps+=(--dump "$mem:$memsz:$d/seg-$i.bin")
	done < <(awk '$1 == "segment" { print $2, $3, $4 }' "$d/plan.txt")
	# gdbdump.py (see gdbdump_traced), its QMP traffic logged to gdbdump.err
	python3 -c "$gdbdump_traced" --gdb "$d/gdb.sock" --qmp "$d/qmp.sock" --break "$entry" \
		"${dumps[@]}" --timeout 90 --then "echo go > '$d/in'" --quit \
		> "$d/gdbdump.json" 2> "$d/gdbdump.err"
	st=$?
	exec 6>&-
	# seen: an answer to a pmemsave came early (the file not complete yet:
	# "written": false) and the quit was lost when the client closed; then
	# QEMU would wait for its timeout: ask again
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$qpid" 2>/dev/null; then
		e2e_log "$ver $mode: QEMU still runs after gdbdump's quit: quit again"
		python3 "$qemu_lib_dir/qmp.py" "$d/qmp.sock" quit 2>/dev/null
	fi
	wait "$qpid"; qpid=
	local t1=$(date +%s.%N)
	t0=${t0:-$t1}
	oracle_secs="$oracle_secs $mode:$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")s"
	# gdbdump.py says exit 1 when a dump file was not complete right after
	# its pmemsave; QEMU has ended now: look at the stop and the files again
	local rip
	rip=$(sed -n 's/.*"rip": "\(0x[0-9a-f]*\)".*/\1/p' "$d/gdbdump.json")
	if [ "$rip" != "$entry" ]; then
		e2e_log "$ver $mode: no stop at $entry: gdbdump exit $st: $(head -c 300 "$d/gdbdump.json" "$d/gdbdump.err" | tr '\n' ' ')"
		return 1
	fi
	while read -r i mem memsz; do
		if [ "$(stat -c %s "$d/seg-$i.bin" 2>/dev/null)" != $((memsz)) ]; then
			e2e_log "$ver $mode: the dump of segment $i is missing or short (gdbdump exit $st)"
			return 1
		fi
	done < <(awk '$1 == "segment" { print $2, $3, $4 }' "$d/plan.txt")
	if [ $st -ne 0 ]; then
		cp "$d/gdbdump.err" "$logs/x86_64-$ver-load-oracle-$mode.gdbdump.err"
		e2e_log "$ver $mode: gdbdump exit $st, but it stopped at $entry and every dump is complete" \
			"(its QMP traffic: $logs/x86_64-$ver-load-oracle-$mode.gdbdump.err)"
	fi
	return 0
}

# boots VER: A (and B, C as the cases ask) of VER into $w/A, $w/B, $w/C
# compare NAME OUT ARGS...: load-compare.py ARGS into OUT (shown, and kept
# in the logs), its verdict as NAME's result
compare() {
	local name=$1 out=$2 st sum
	shift 2
	python3 "$e2e_dir/load-compare.py" "$@" > "$out" 2>&1
	st=$?
	cp "$out" "$logs/$name.compare.txt"
	sed 's/^/  /' "$out"
	sum=$(sed -n 's/^SUMMARY //p' "$out")
	case $st in
	0) result PASS "$name" "${sum:-?}; boots${oracle_secs}" ;;
	1) result FAIL "$name" "unexpected differences: ${sum:-?}; see $logs/$name.compare.txt" ;;
	*) result FAIL "$name" "load-compare.py exit $st: $(tail -2 "$out" | tr '\n' ' ')" ;;
	esac
}

# boot_compare NAME VER MODE DIR WHAT OUT ARGS...: boot DIR (oracle_boot VER
# MODE DIR, its console log kept as NAME-B.log for DIR .../B), then compare
# NAME OUT ARGS; a FAIL naming WHAT and status 1 if the boot fails
boot_compare() {
	local name=$1 ver=$2 mode=$3 d=$4 what=$5 boot=${4##*/}
	shift 5
	if ! oracle_boot "$ver" "$mode" "$d"; then
		cp "$d/console.log" "$logs/$name-$boot.log" 2>/dev/null
		result FAIL "$name" "boot $boot ($what) failed ($logs/$name-$boot.log)"
		return 1
	fi
	cp "$d/console.log" "$logs/$name-$boot.log"
	compare "$name" "$@"
	return 0
}

oracle_case() {
	local ver=$1 kernel w name
	kernel=$(e2e_kernel "$ver") || {
		result SKIP "x86_64-$ver-load-oracle" "no $ver kernel"
		result SKIP "x86_64-$ver-load-own" "no $ver kernel"
		return
	}
	local do_b=0 do_c=0
	[[ load-oracle =~ $case_re ]] && do_b=1
	[[ load-own =~ $case_re ]] && do_c=1
	[ $do_b = 1 ] || [ $do_c = 1 ] || return
	initramfs "$ver" || { result FAIL "x86_64-$ver-load-oracle" "initramfs"; return; }
	w=$(e2e_work_dir "$ver")
	oracle_secs=
	if ! oracle_boot "$ver" s "$w/A"; then
		cp "$w/A/console.log" "$logs/x86_64-$ver-load-oracle-A.log" 2>/dev/null
		[ $do_b = 1 ] && result FAIL "x86_64-$ver-load-oracle" "boot A (kexec -s -l) failed ($logs/x86_64-$ver-load-oracle-A.log)"
		[ $do_c = 1 ] && result FAIL "x86_64-$ver-load-own" "boot A (kexec -s -l) failed"
		return
	fi
	cp "$w/A/console.log" "$logs/x86_64-$ver-load-oracle-A.log"
	[ $do_b = 1 ] &&
		boot_compare "x86_64-$ver-load-oracle" "$ver" c "$w/B" "kexec -c -l --purgatory-from" \
			"$w/compare.txt" --ver "$ver" "$w/A" "$w/B" &&
		[ "${UKEXEC_E2E_CORRUPT:-0}" = 1 ] && corrupt_check "$ver" "$w"
	[ $do_c = 1 ] &&
		boot_compare "x86_64-$ver-load-own" "$ver" o "$w/C" "kexec -c -l, own purgatory" \
			"$w/compare-own.txt" --own --ver "$ver" "$w/A" "$w/C"
	[ -n "$keep" ] || rm -f "$w"/*/seg-*.bin
}

# corrupt_check VER W: a copy of boot B with one byte flipped in its kernel
# segment (+0x1234) and one in its boot_params (+0x2d8: e820_table[0].size)
# must make load-compare.py report both, by segment, offset and field
corrupt_check() {
	local ver=$1 w=$2 c=$2/B-corrupt k b f st
	rm -rf "$c" && mkdir -p "$c" && cp -r "$w/B/rec" "$w/B/gdbdump.json" "$c/" || return
	for f in "$w"/B/seg-*.bin; do ln -s "$f" "$c/"; done
	k=$(awk '$1 == "segment" && $5 == "kernel" { print $2 }' "$w/B/plan.txt")
	b=$(awk '$1 == "segment" && $5 == "boot_params" { print $2 }' "$w/B/plan.txt")
	for f in "$k:0x1234" "$b:0x2d8"; do
		rm -f "$c/seg-${f%:*}.bin" && cp "$w/B/seg-${f%:*}.bin" "$c/seg-${f%:*}.bin" &&
			python3 -c 'import sys; f = open(sys.argv[1], "r+b"); o = int(sys.argv[2], 0); f.seek(o); b = f.read(1); f.seek(o); f.write(bytes([b[0] ^ 0x5a]))' \
				"$c/seg-${f%:*}.bin" "${f#*:}"
	done
	python3 "$e2e_dir/load-compare.py" --ver "$ver" "$w/A" "$c" > "$w/compare-corrupt.txt" 2>&1
	st=$?
	cp "$w/compare-corrupt.txt" "$logs/x86_64-$ver-load-oracle-corrupt.compare.txt"
	if [ $st -eq 1 ] && grep -q "^FINDING segment\[$k\] kernel +0x1234\.\." "$w/compare-corrupt.txt" &&
		grep -q "^FINDING segment\[$b\] boot_params +0x2d8\.\.+0x2d9 (e820_table\[0\]\.size)" "$w/compare-corrupt.txt"; then
		result PASS "x86_64-$ver-load-oracle-corrupt" "flipped bytes in a copy of B's dumps are reported: $(grep '^FINDING' "$w/compare-corrupt.txt" | sed 's/^FINDING //' | paste -sd ';')"
	else
		result FAIL "x86_64-$ver-load-oracle-corrupt" "flipped bytes were not reported (exit $st): $(tail -3 "$w/compare-corrupt.txt" | tr '\n' ' ')"
	fi
	rm -rf "$c"
}

for v in $kernels; do
	oracle_case "$v"
done
echo "e2e load-oracle: $e2e_nfail failed in $((SECONDS - t_all)) s (${e2e_accel[*]:-no guest})"
[ $e2e_nfail -eq 0 ]
