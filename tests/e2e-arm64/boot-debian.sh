#!/bin/bash
# Debian's own arm64 6.1 kernel (CONFIG_KEXEC, no CONFIG_KEXEC_FILE) boots a
# second kernel with plain `kexec -l` in qemu-system-aarch64 -M virt -cpu max
# (TCG): the default syscall policy tries kexec_file_load, gets ENOSYS, and
# falls back to ukexec's userspace plan + kexec_load and our purgatory (-d
# says so in one line); then `kexec -e`. One boot; its /init is
# tests/e2e-arm64/init-kdump.sh (stage boot, then second).
#
# TAP:
#  1 the first kernel (Debian's) reached /init
#  2 `kexec -e` with nothing loaded: exit 1, no reboot (kexec-tools' "Nothing
#    has been loaded!")
#  3 `kexec -l -d`: exit 0, kexec_loaded 1, the fallback said in one -d line
#  4 `kexec -l -S` exits 1 (loaded), `kexec -S` exits 0 (no crash kernel)
#  5 `kexec -e`: the second kernel came up with the command line it was given
#  6 its DTB's linux,initrd-start/end are the plan's initrd segment
#
# Inputs: Debian's kernel and busybox (scripts/fetch-arm64, cached), a static
# arm64 build of ukexec (tests/e2e-arm64/lib.sh). UKEXEC_ARM64_TIMEOUT:
# seconds for the boot (default 300). The console log is kept in
# ${TMPDIR:-/tmp}/ukexec-arm64-boot-debian.log when a test fails.
. "$(dirname "$0")/lib.sh"

arm64_need_tools
arm64_debian_inputs
arm64_need_build kexec/kexec

m1=$(qemu_marker first) m2=$(qemu_marker second)
arm64_debian_boot second "ukexec.stage=boot ukexec.marker=$m1 ukexec.next=$m2"

console_excerpt() { grep -aE "UKEXEC|kexec|Kernel panic|Internal error" "$log" | tail -n 25; }

echo "1..6"
if qemu_seen "$log" "UKEXEC-FIRST $m1 $version"; then
	ok 1 "Debian's $version reached /init"
else
	not_ok 1 "Debian's $version did not reach /init (qemu exit $st, $qemu_secs s)"
fi

s=$(stepline exec-none)
if [ "$s" = "1 0 0" ]; then
	ok 2 "kexec -e with nothing loaded: exit 1, still running ($(qemu_field "$log" "UKEXEC-OUT: exec-none:"))"
else
	not_ok 2 "kexec -e with nothing loaded: exit/crash_loaded/loaded '$s', not '1 0 0'"
fi

s=$(stepline load)
fallback=$(grep -ac '^UKEXEC-OUT: load: .*kexec_file_load: .*falling back to the userspace plan and kexec_load' "$log")
if [ "$s" = "0 0 1" ] && [ "$fallback" -eq 1 ]; then
	ok 3 "kexec -l -d: exit 0, kexec_loaded 1, one fallback line"
	grep -a '^UKEXEC-OUT: load: .*falling back' "$log" | sed 's/^UKEXEC-OUT: load: /# /'
	grep -a '^UKEXEC-OUT: load: \(segment\[\|entry\|memblock:\)' "$log" |
		sed 's/^UKEXEC-OUT: load: /# /'
else
	not_ok 3 "kexec -l -d: exit/crash_loaded/loaded '$s' (want '0 0 1'), $fallback fallback lines (want 1)"
fi

s1=$(stepline status-l) s2=$(stepline status)
if [ "${s1%% *}" = 1 ] && [ "${s2%% *}" = 0 ]; then
	ok 4 "kexec -l -S exits 1 (a kernel is loaded), kexec -S exits 0 (no crash kernel)"
else
	not_ok 4 "kexec -l -S exit ${s1%% *} (want 1), kexec -S exit ${s2%% *} (want 0)"
fi

want="console=ttyAMA0 panic=-1 ukexec.stage=second ukexec.marker=$m2"
got=$(qemu_field "$log" UKEXEC-CMDLINE)
if qemu_seen "$log" "UKEXEC-SECOND $m2 $version" && [ "$got" = "$want" ]; then
	ok 5 "kexec -e: the second kernel booted with its command line ($qemu_secs s for both kernels under TCG)"
else
	not_ok 5 "kexec -e: no second kernel with the command line '$want' (got '$got'; qemu exit $st, $qemu_secs s)"
fi

# the plan's initrd segment: the one of the second initramfs' size
size=$(printf '0x%x' "$(stat -c %s "$tmp/initrd2")")
mem=$(grep -a "^UKEXEC-OUT: load: segment\[.*bufsz=$size " "$log" | sed -n 's/.* mem=0x\([0-9a-f]*\) .*/\1/p' | head -n1)
read -r start end <<<"$(qemu_field "$log" UKEXEC-INITRD)"
if [ -n "$mem" ] && [ -n "${start:-}" ] && [ -n "${end:-}" ] && [ $((0x$start)) -eq $((0x$mem)) ] &&
	[ $((0x$end - 0x$start)) -eq $((size)) ]; then
	ok 6 "the second kernel's DTB: initrd at the plan's 0x$mem, $((size)) bytes"
else
	not_ok 6 "the second kernel's DTB: initrd 0x${start:-?}-0x${end:-?}, the plan's at 0x${mem:-?} ($((size)) bytes)"
fi

arm64_debian_finish boot-debian
