#!/bin/bash
# kexec --compare in QEMU, x86_64, Debian's 5.10, 6.1, 6.12 and 7.3 kernels (TCG
# unless KVM really works). Guest /init: tests/e2e-x86_64/init-compare.sh; one
# boot per kernel (crashkernel=256M nokaslr), four steps in it:
#   compare-l      kexec --compare -l: exit 0, "the same plan" (6.12 logs its
#                  plan with KEXEC_FILE_DEBUG, 5.10 and 6.1 through dynamic
#                  debug, which kexec mounts debugfs for), nothing loaded after
#   compare-p      kexec --compare -p: the same, for the crash kernel
#   compare-wrong  kexec --compare -l --kexec-file-profile=<another line>: exit
#                  1, "the plans differ", nothing loaded after
#   compare-busy   with a kernel loaded (kexec -s -l): refused in one line,
#                  the loaded kernel left in place
#   compare-restore after the steps debugfs is not mounted and no pr_debug()
#                  site of kernel/kexec_file.c prints (dynamic debug undone)
#
#   tests/e2e-x86_64/compare.sh BUILD_DIR
#
# Results: PASS/FAIL/SKIP lines (x86_64-VER-compare-*) to $UKEXEC_E2E_RESULTS
# (default tests/e2e-x86_64/results-compare); each guest's transcript in
# tests/e2e-x86_64/logs/x86_64-VER-compare.txt. UKEXEC_E2E_KERNELS chooses the
# kernels. Exits 1 on any FAIL.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

keep=
case ${1:-} in -h|--help) e2e_help; exit 0 ;; esac
build=${1:-${TMPDIR:-/tmp}/ukexec-e2e}
e2e_setup_run results-compare
result() { e2e_result "$@"; }
e2e_prepare "$build" "compare-l compare-p compare-wrong compare-busy compare-restore"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
python3 -c 'import random, sys; r = random.Random(6112); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(69857)))' \
	> "$tmp/initrd2" || exit 1
printf '%s' "console=ttyS0 ukexec.marker=compare" > "$tmp/cmdline-l"

# the line forced on each kernel: another one, whose rules differ from its own
wrong_line() {
	case $1 in 5.10) echo 6.12 ;; 6.1) echo 5.10 ;; *) echo 6.1 ;; esac
}

# step_out T NAME: the step's output lines; step_rc T NAME: "EXIT LOADED CRASH_LOADED"
step_out() { sed -n "s/^UKEXEC-OUT: $2: //p" "$1"; }
step_rc() { sed -n "s/^UKEXEC-RC $2 //p" "$1" | head -n1; }

compare_case() {
	local ver=$1 kernel log t rc out
	if ! kernel=$(e2e_kernel "$ver"); then
		for s in l p wrong busy restore; do result SKIP "x86_64-$ver-compare-$s" "no $ver kernel"; done
		return
	fi
	e2e_initramfs "$tmp/initrd1-$ver" init="$e2e_dir/init-compare.sh" kexec="$static/kexec/kexec" \
		vmlinuz="$kernel" initrd2="$tmp/initrd2" cmdline-l="$tmp/cmdline-l" || return
	log=$logs/x86_64-$ver-compare.log
	e2e_qemu "$log" 150 "$kernel" "$tmp/initrd1-$ver" \
		"ukexec.stage=compare ukexec.marker=compare-$ver ukexec.wrong=$(wrong_line "$ver") crashkernel=256M nokaslr"
	t=$tmp/console-$ver
	tr -d '\r' < "$log" > "$t"
	{
		echo "# kexec --compare on Debian's $ver ($(sed -n 's/^UKEXEC-COMPARE //p' "$t")), guest ${e2e_secs:-?} s"
		for s in l p wrong busy; do
			echo "## step $s (exit, kexec_loaded, kexec_crash_loaded after: $(step_rc "$t" $s))"
			step_out "$t" "$s"
		done
	} > "$logs/x86_64-$ver-compare.txt"
	if ! grep -q '^UKEXEC-DONE' "$t"; then
		for s in l p wrong busy restore; do
			result FAIL "x86_64-$ver-compare-$s" "the guest did not finish: $(grep -a 'UKEXEC-FAIL\|Kernel panic' "$t" | head -2 | tr '\n' ' ') (see $log)"
		done
		return
	fi
	for s in l p; do
		rc=$(step_rc "$t" $s)
		out=$(step_out "$t" $s)
		if [ "$rc" = "0 0 0" ] && grep -q "=> kexec -$s: the same plan" <<<"$out"; then
			result PASS "x86_64-$ver-compare-$s" "$(grep '=>' <<<"$out" | sed 's/^ *//'), nothing loaded after"
		else
			result FAIL "x86_64-$ver-compare-$s" "exit/loaded/crash_loaded $rc: $(tail -4 <<<"$out" | tr '\n' ' ')"
		fi
	done
	rc=$(step_rc "$t" wrong)
	out=$(step_out "$t" wrong)
	if [ "$rc" = "1 0 0" ] && grep -q "=> kexec -l: the plans differ" <<<"$out"; then
		result PASS "x86_64-$ver-compare-wrong" "forced profile $(wrong_line "$ver"): $(grep '=>' <<<"$out" | sed 's/^ *//'), exit 1"
	else
		result FAIL "x86_64-$ver-compare-wrong" "forced profile $(wrong_line "$ver"): exit/loaded/crash_loaded $rc: $(tail -4 <<<"$out" | tr '\n' ' ')"
	fi
	rc=$(step_rc "$t" busy)
	out=$(step_out "$t" busy)
	if [ "$rc" = "255 1 0" ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "loaded already" <<<"$out"; then
		result PASS "x86_64-$ver-compare-busy" "refused, the loaded kernel kept: $out"
	else
		result FAIL "x86_64-$ver-compare-busy" "exit/loaded/crash_loaded $rc: $(tr '\n' ' ' <<<"$out")"
	fi
	out="debugfs mounts $(sed -n 's/^UKEXEC-DEBUGFS-MOUNTED //p' "$t"), kexec_file.c sites printing $(sed -n 's/^UKEXEC-DYNDBG-ON //p' "$t")"
	if [ "$out" = "debugfs mounts 0, kexec_file.c sites printing 0" ]; then
		result PASS "x86_64-$ver-compare-restore" "$out"
	else
		result FAIL "x86_64-$ver-compare-restore" "$out"
	fi
}

for v in $kernels; do
	compare_case "$v"
done
echo "e2e compare: $e2e_nfail failed in $((SECONDS - t_all)) s (${e2e_accel[*]:-no guest})"
[ $e2e_nfail -eq 0 ]
