#!/bin/bash
# A kexec jump, both ways (scripts/check --slow): a 6.12 kernel with
# CONFIG_KEXEC_JUMP (scripts/build-x86_64-kernel; Debian's amd64 kernels have
# none, and 6.1 cannot come back: see there), one TCG guest of 1 GiB, /init
# tests/e2e-x86_64/init-kjump.sh.
# Kernel A loads itself as B with kexec -l --load-preserve-context
# --mem-max=0x7ffffff (B restricted to the first 128 MiB, the rest ACPI data
# to it) and kexec -e; B finds kexec_jump_back_entry= on its command line
# (our purgatory appends it), loads kexec --load-jump-back-helper
# --entry=<it> and kexec -e; A's kexec -e returns and A's /init goes on.
# TAP checks: the refusals in A (helper without --entry, -s with
# --load-preserve-context, helper with a kernel loaded), the load, B's entry
# and helper, A back, its kexec -e ending as kexec-tools' does (exit 255).
#
#   tests/e2e-x86_64/kjump.sh BUILD_DIR
# UKEXEC_KJUMP_QEMU_ARGS: more QEMU arguments (to debug: -d int,cpu_reset -D FILE)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

build=${1:?usage: tests/e2e-x86_64/kjump.sh BUILD_DIR}
logs=$e2e_dir/logs
mkdir -p "$logs"
n=0 nfail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); nfail=$((nfail + 1)); echo "not ok $n - $*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

missing=$(e2e_missing_tool) && skip_all "no $missing"
e2e_inputs || skip_all "scripts/fetch-kernels failed (offline?)"
kdir=$("$e2e_top/scripts/build-x86_64-kernel") || { echo "1..1"; not_ok "scripts/build-x86_64-kernel"; exit 1; }
static=$(e2e_static_build "$build-static") || { echo "1..1"; not_ok "static build in $build-static"; exit 1; }
e2e_qemu_accel

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# B's initramfs (init-kjump.sh and kexec), then A's: the same plus the
# kernel and B's initramfs as /init.cpio
qemu_initramfs "$tmp/init.cpio" "$e2e_cache/busybox" "$e2e_dir/init-kjump.sh" guest.sh="$e2e_dir/guest.sh" \
	kexec="$static/kexec/kexec" || exit 1
qemu_initramfs "$tmp/a.cpio" "$e2e_cache/busybox" "$e2e_dir/init-kjump.sh" guest.sh="$e2e_dir/guest.sh" \
	kexec="$static/kexec/kexec" bzImage="$kdir/bzImage" init.cpio="$tmp/init.cpio" || exit 1

echo "1..10"
ma=$(e2e_marker kjump-a) mb=$(e2e_marker kjump-b)
log=$logs/kjump.log
e2e_qemu "$log" "${UKEXEC_E2E_TIMEOUT:-300}" "$kdir/bzImage" "$tmp/a.cpio" \
	"no_console_suspend ukexec.stage=a ukexec.marker=$ma ukexec.next=$mb" ${UKEXEC_KJUMP_QEMU_ARGS:-}
st=$?
t="${e2e_secs}s, qemu exit $st, $log"
field() { e2e_field "$log" "$1"; }

# check N-DESCRIPTION TAG WANT: the first console line TAG reads WANT
check() {
	local got
	got=$(field "$2")
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1 (UKEXEC $2: '$got', want '$3'; $t)"; fi
}
check "A runs" UKEXEC-A "$ma"
check "A: --load-jump-back-helper without --entry: exit 255, as kexec-tools" UKEXEC-HELPER-NOENTRY "exit 255"
check "A: -s --load-preserve-context: exit 1, as kexec-tools" UKEXEC-S-PRESERVE "exit 1"
check "A: -l --load-preserve-context --mem-max=0x7ffffff loads" UKEXEC-LOAD "exit 0"
check "A: --load-jump-back-helper with a kernel loaded: exit 255" UKEXEC-HELPER-LOADED "exit 255"
check "B runs" UKEXEC-B "$mb"
entry=$(field UKEXEC-B-ENTRY)
if [[ $entry =~ ^0x[0-9a-f]+$ ]]; then
	ok "B's command line holds kexec_jump_back_entry=$entry"
else
	not_ok "B's command line has no kexec_jump_back_entry= ('$entry'; $t)"
fi
check "B: --load-jump-back-helper --entry=$entry loads" UKEXEC-B-HELPER "exit 0"
if e2e_seen "$log" "UKEXEC-BACK-IN-A $ma"; then
	ok "back in A after B's kexec -e ($(field UKEXEC-A-MEM); $t)"
else
	not_ok "A did not come back after B's kexec -e ($t)"
fi
check "A: kexec -e came back: exit 255, as kexec-tools" UKEXEC-EXEC "exit 255"
[ $nfail -eq 0 ]
