#!/bin/bash
# The arm64 byte oracle of kexec -l and kexec -p (issue 12): the in-kernel
# kexec_file loader against ukexec's userspace plan, in the memory of
# qemu-system-aarch64 -M virt -cpu max (TCG), 1 GiB, crashkernel=128M, the
# 6.1 oracle kernel (KEXEC_FILE, DYNAMIC_DEBUG: scripts/build-arm64-kernel).
# Two boots with the same machine (nokaslr, QEMU's DTB without its random
# seeds: -M virt,dtb-randomness=off, command lines of the same length); the
# guest's /init is tests/e2e-arm64/init-load-oracle.sh:
#   A  kexec -s -p, then kexec -s -l (the kernel's kexec_file_load)
#   B  kexec -c -p, then kexec -c -l (ukexec's plan, kexec_load, our purgatory)
# After each -p load the host dumps the crash region over QMP pmemsave.
# After each -l load tests/lib/gdbdump.py sets a breakpoint at the next
# kernel's first instruction (the kernel segment's start: both loaders enter
# it there with the MMU off, so the address is physical), the guest runs
# kexec -e, and at the stop the registers are read and each segment's
# [mem, mem+memsz) dumped. tests/e2e-arm64/load-compare.py compares them
# (its docstring has the rules: segment tables, every byte but the DTB's
# seed values, our purgatory apart, x0 = DTB and x1..x3 = 0 at the stop).
#
#   load-oracle.sh [--keep DIR]
#
# TAP, 5 checks: the two boots, the -l and -p comparisons, and a check of
# the check: copies of B's dumps with one byte flipped in the -l kernel
# segment, one in the -l DTB next to the kaslr-seed value, and one in the -p
# initrd must be reported, each where it was flipped.
# Inputs: tests/e2e-arm64/lib.sh (UKEXEC_ARM64_* knobs), UKEXEC_ARM64_CPU. Exit 77 (TAP
# skip under make) only without a package. UKEXEC_ARM64_TIMEOUT: seconds
# per boot (default 300). --keep DIR keeps the boots' logs, dumps and
# comparisons in DIR.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

keep=
if [ "${1:-}" = --keep ]; then
	keep=$2
	mkdir -p "$keep" && keep=$(cd "$keep" && pwd) || exit 1
fi
fail() { arm64_bail "$@"; }
command -v python3 >/dev/null || arm64_skip "no python3"
arm64_need_tools
tmp=$(mktemp -d) || exit 1
# a boot runs in the background: end its QEMU if we are ended
trap 'qemu_bg_kill; rm -rf "$tmp"' EXIT
arm64_debian_inputs
arm64_oracle_kernel
arm64_need_build kexec/kexec
# a copy: a later test may rebuild the static tree
cp "$arm64_build/kexec/kexec" "$tmp/kexec-arm64" || fail "no static kexec"
static_kexec=$tmp/kexec-arm64

timeout=${UKEXEC_ARM64_TIMEOUT:-300}
w=${keep:-$tmp}
t_all=$SECONDS
qemu_arch arm64
qemu_machine=(-M virt,dtb-randomness=off)
# UKEXEC_ARM64_CPU: -cpu (default max); the 6.12 oracle kernel needs
# max,lpa2=off (its kexec_file_load oopses in trans_pgd_create_copy() on an
# LPA2 CPU: tests/golden/arm64-virt-6.12/README)
qemu_tcg_cpu=${UKEXEC_ARM64_CPU:-$qemu_tcg_cpu}
qemu_accel_tcg

# the loaded kernel's initrd: deterministic bytes (it never runs)
python3 -c 'import random, sys; r = random.Random(6112); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(69857)))' \
	>"$tmp/initrd2" || fail "initrd2"
qemu_initramfs "$tmp/initrd1" "$busybox" "$e2e_dir/init-load-oracle.sh" kexec="$static_kexec" \
	Image="$image" initrd2="$tmp/initrd2" || fail "the guest's initramfs"

# oracle_boot MODE DIR: one boot (kexec -MODE); DIR gets console.log,
# crash.bin, gdb.json, l-I.bin; its seconds in DIR/secs. Status 0 when every
# dump was taken; else DIR/why says what failed.
oracle_boot() {
	local mode=$1 d=$2 log=$2/console.log st=1 crash start size i dargs=() brk=
	qemu_bg_boot "$d" "$timeout" "$image" "$tmp/initrd1" \
		"nokaslr crashkernel=128M random.trust_cpu=on ukexec.mode=$mode" || return 1
	if ! qemu_bg_wait "$log" UKEXEC-P-READY; then
		echo "kexec -$mode -p: no UKEXEC-P-READY" >"$d/why"
	else
		crash=$(qemu_field "$log" UKEXEC-CRASHK)
		start=0x${crash% *} size=$((0x${crash#* } + 1 - 0x${crash% *}))
		python3 "$qemu_lib_dir/qmp.py" "$d/qmp.sock" pmemsave "$start" "$size" "$d/crash.bin" >"$d/qmp.out" 2>&1
		for i in $(seq 100); do
			[ "$(stat -c %s "$d/crash.bin" 2>/dev/null)" = "$size" ] && break
			sleep 0.1
		done
		echo go >"$d/in"
		if [ "$(stat -c %s "$d/crash.bin" 2>/dev/null)" != "$size" ]; then
			echo "pmemsave of the crash region $start+$size: $(head -c 300 "$d/qmp.out")" >"$d/why"
		elif ! qemu_bg_wait "$log" UKEXEC-GDB-READY; then
			echo "kexec -$mode -l: no UKEXEC-GDB-READY" >"$d/why"
		elif ! python3 "$e2e_dir/load-compare.py" dumps "$d" >"$d/dumps" 2>&1; then
			echo "no -l plan to dump: $(head -c 300 "$d/dumps")" >"$d/why"
		else
			brk=$(awk '$1 == "BREAK" { print $2 }' "$d/dumps")
			for i in $(awk '$1 == "DUMP" { print $2 }' "$d/dumps"); do dargs+=(--dump "$i"); done
			python3 "$qemu_lib_dir/gdbdump.py" --arch aarch64 --gdb "$d/gdb.sock" --qmp "$d/qmp.sock" \
				--break "$brk" "${dargs[@]}" --timeout 120 --then "echo go > '$d/in'" --quit \
				>"$d/gdb.json" 2>"$d/gdb.err" && st=0 ||
				echo "no stop at the next kernel's entry $brk, or a dump missing: $(head -c 400 "$d/gdb.json" "$d/gdb.err" | tr '\n' ' ')" >"$d/why"
		fi
	fi
	qemu_bg_end
	return $st
}

# show_log LOG: the lines that say what happened in a failed boot
show_log() {
	tr -d '\r' <"$1" | grep -aE "UKEXEC-(ORACLE|CRASHK|LOADED|FAIL|GO|TOOL.*(rror|annot|refus))|Kernel panic|Internal error" |
		tail -n 25 | sed 's/^/# /'
}

# compare N WHAT DIR_A DIR_B OUT: load-compare.py WHAT as check N
nfail=0
compare() {
	local n=$1 what=$2 out=$5 st sum
	python3 "$e2e_dir/load-compare.py" "$what" "$3" "$4" >"$out" 2>&1
	st=$?
	sum=$(sed -n 's/^SUMMARY //p' "$out")
	if [ $st -eq 0 ]; then
		echo "ok $n - kexec -$what: the kernel's memory and ukexec's: $sum"
	else
		nfail=$((nfail + 1))
		echo "not ok $n - kexec -$what: load-compare.py exit $st: ${sum:-$(tail -n 1 "$out")}"
	fi
	grep -v '^SUMMARY ' "$out" | sed 's/^/# /'
}

# corrupt_check N: copies of B's dumps with one byte flipped in each of the
# -l kernel segment, the -l DTB (next to the kaslr-seed value) and the -p
# initrd (load-compare.py flips); load-compare.py must report each, by
# segment and offset
corrupt_check() {
	local n=$1 c=$w/B-corrupt f what file off label ok=1
	rm -rf "$c" && mkdir -p "$c" && cp "$w/B/console.log" "$w/B/gdb.json" "$c/" || return 1
	for f in "$w"/B/*.bin; do ln -s "$f" "$c/"; done
	python3 "$e2e_dir/load-compare.py" flips "$w/B" >"$w/flips" 2>&1 || ok=0
	while read -r what file off label; do
		if [ -L "$c/$file" ]; then rm -f "$c/$file" && cp "$w/B/$file" "$c/$file" || ok=0; fi
		python3 "$qemu_lib_dir/flip.py" "$c/$file" "$off" || ok=0
	done <"$w/flips"
	for what in l p; do
		python3 "$e2e_dir/load-compare.py" "$what" "$w/A" "$c" >"$w/compare-corrupt-$what.txt" 2>&1
		[ $? -eq 1 ] || ok=0
	done
	while read -r what file off label; do
		grep -qF "FINDING -$what ${label% *} ${label##* }..+$(printf '0x%x' $((${label##*+} + 1))) (1 bytes)" \
			"$w/compare-corrupt-$what.txt" || ok=0
	done <"$w/flips"
	if [ $ok = 1 ]; then
		echo "ok $n - check of the check: the flipped bytes are reported: $(grep -h '^FINDING' "$w"/compare-corrupt-[lp].txt | sed 's/^FINDING //' | paste -sd ';')"
	else
		nfail=$((nfail + 1))
		echo "not ok $n - check of the check: not every flipped byte reported: $(paste -sd ';' "$w/flips")"
		cat "$w"/compare-corrupt-[lp].txt | sed 's/^/# corrupt: /'
	fi
	rm -rf "$c"
}

echo "1..5"
booted=1
for m in s:A c:B; do
	mode=${m%:*} d=$w/${m#*:}
	n=$([ "$mode" = s ] && echo 1 || echo 2)
	if oracle_boot "$mode" "$d"; then
		echo "ok $n - boot ${m#*:}: kexec -$mode -p and -l in the guest, crash region dumped, stopped at the next kernel's entry ($(cat "$d/secs") s under TCG)"
	else
		booted=0
		nfail=$((nfail + 1))
		echo "not ok $n - boot ${m#*:} (kexec -$mode): $(cat "$d/why" 2>/dev/null)"
		show_log "$d/console.log"
		cp "$d/console.log" "${TMPDIR:-/tmp}/ukexec-arm64-load-oracle-${m#*:}.log" 2>/dev/null &&
			echo "# log: ${TMPDIR:-/tmp}/ukexec-arm64-load-oracle-${m#*:}.log"
	fi
done
if [ $booted = 1 ]; then
	compare 3 l "$w/A" "$w/B" "$w/compare-l.txt"
	compare 4 p "$w/A" "$w/B" "$w/compare-p.txt"
	corrupt_check 5
else
	for n in 3 4 5; do echo "not ok $n - no comparison: a boot failed"; done
	nfail=$((nfail + 3))
fi
[ -n "$keep" ] || rm -f "$w"/*/*.bin
echo "# load-oracle.sh: $((SECONDS - t_all)) s"
[ $nfail -eq 0 ]
