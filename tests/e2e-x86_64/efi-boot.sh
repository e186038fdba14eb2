#!/bin/bash
# kexec on an EFI-booted x86_64 machine: Debian's 6.1 and 6.12 kernels under
# OVMF (QEMU's direct kernel boot through the kernel's EFI stub), TCG.
#   efi-c-load-exec   kexec -c -l (ukexec's userspace plan: the EFI runtime
#                     map, efi_info and SETUP_EFI in boot_params) + kexec -e:
#                     the second kernel prints its marker and sees EFI again
#                     (it prints UKEXEC-SECOND only after /init runs; the
#                     log must also show "efi: EFI v" from the second boot).
#   efi-c-bz32-exec   (6.1 only) kexec -l -t bzImage: kexec-tools' 32-bit entry
#                     of the Debian bzImage (efi_info from the running kernel);
#                     the second kernel prints its marker and sees EFI again
#   efi-c-mb-exec     (6.1 only) kexec -l -t multiboot-x86 of the multiboot test
#                     kernel (mbtest.S): run-all.sh's c-mb-exec checks
#   efi-c-xen-exec    (6.1 only; not in CI: only when UKEXEC_E2E_CASES names it)
#                     kexec -l -t multiboot2-x86 of Debian's Xen with the 6.1
#                     kernel as dom0: run-all.sh's c-xen-exec checks. Fails
#                     today: Xen 4.17's 32-bit entry sizes low memory from the
#                     BIOS data area (0x413), which EFI leaves empty, puts its
#                     trampoline at 4 GiB - 64 KiB and faults before its first
#                     line. With a made-up data area in page 0 and Xen's
#                     no-real-mode (tried on branch efimb, 874c160, not merged)
#                     Xen boots but finds no ACPI RSDP (it searches only the
#                     EBDA and 0xe0000-0xfffff, reads no multiboot2 ACPI tag,
#                     and stops on an EFI64 tag: "Bootloader shutdown EFI x64
#                     boot services!"), so dom0 runs with acpi=off, its hvc0
#                     cannot get irq 8 (rtc0 holds it) and /init has no
#                     console: no marker.
#   tests/e2e-x86_64/efi-boot.sh BUILD_DIR
# UKEXEC_E2E_CASES: a regular expression of the cases to run (default all).
# Results: PASS/FAIL/SKIP lines in $UKEXEC_E2E_RESULTS (default
# tests/e2e-x86_64/results-efi, rewritten); exits 1 on any FAIL.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

build=${1:?usage: tests/e2e-x86_64/efi-boot.sh BUILD_DIR}
results=${UKEXEC_E2E_RESULTS:-$e2e_dir/results-efi}
kernels=${UKEXEC_E2E_KERNELS:-6.1 6.12}
logs=$e2e_dir/logs
ovmf_code=/usr/share/OVMF/OVMF_CODE.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS.fd
mkdir -p "$logs"
: > "$results"

result() { e2e_result "$@"; }

if [ ! -s "$ovmf_code" ]; then
	sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ovmf >/dev/null 2>&1
fi
if [ ! -s "$ovmf_code" ] || [ ! -s "$ovmf_vars" ] || e2e_missing_tool >/dev/null ||
	! e2e_inputs; then
	e2e_each_kernel SKIP "no OVMF, QEMU or kernels" efi-c-load-exec efi-c-bz32-exec efi-c-mb-exec
	exit 0
fi
static=$(e2e_static_build "$build-static")
if [ -z "$static" ]; then
	e2e_each_kernel FAIL "static build failed" efi-c-load-exec efi-c-bz32-exec efi-c-mb-exec
	exit 1
fi
e2e_qemu_accel

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
e2e_root "$tmp/r2" && e2e_cpio "$tmp/r2" "$tmp/initrd2" || exit 1

# efi_case VER CASE: boot VER under OVMF with /init's load MODE of CASE, then check
efi_case() {
	local v=$1 c=$2 name=x86_64-$1-$2 kernel mode rd extra=() m1 m2 log st t
	[[ $c =~ ${UKEXEC_E2E_CASES:-.} ]] || return 0
	kernel=$(e2e_kernel "$v") || { result SKIP "$name" "no $v kernel"; return; }
	case $c in
	efi-c-load-exec) mode=c ;;
	efi-c-bz32-exec) mode=b ;;
	efi-c-mb-exec) mode=m
		e2e_mbtest "$tmp" || { result SKIP "$name" "no as --32 / ld -m elf_i386"; return; }
		extra=(mbtest.elf="$tmp/mbtest.elf" mbmod="$tmp/mbmod") ;;
	efi-c-xen-exec) mode=x2
		e2e_xen_inputs "$tmp" "$static/kexec/kexec" ||
			{ result FAIL "$name" "scripts/fetch-xen or dom0's initramfs"; return; }
		extra=(xen="$e2e_xen" initrd2x="$tmp/initrd2x") ;;
	esac
	rd=$tmp/initrd1$mode-$v
	e2e_initramfs "$rd" kexec="$static/kexec/kexec" \
		sysdeny="$static/tests/tools/sysdeny" vmlinuz="$kernel" initrd2="$tmp/initrd2" "${extra[@]}" ||
		{ result FAIL "$name" "initramfs"; return; }
	cp "$ovmf_vars" "$tmp/vars.fd"
	m1=$(e2e_marker first) m2=$(e2e_marker next)
	log=$logs/$name.log
	e2e_qemu "$log" "${UKEXEC_E2E_TIMEOUT:-240}" "$kernel" "$rd" \
		"ukexec.stage=load ukexec.mode=$mode ukexec.marker=$m1 ukexec.next=$m2" \
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code" \
		-drive "if=pflash,format=raw,unit=1,file=$tmp/vars.fd"
	st=$?
	t="${e2e_secs}s, qemu exit $st"
	if ! e2e_seen "$log" "UKEXEC-FIRST $m1"; then
		result FAIL "$name" "the first kernel did not reach /init ($t, $log)"
		return
	fi
	case $mode in
	m) e2e_check_multiboot "$name" "$mode" "$log" "$m2" "$t"; return ;;
	x2) e2e_check_xen "$name" "$log" "$m2" "$t"; return ;;
	esac
	if ! e2e_seen "$log" "UKEXEC-SECOND $m2"; then
		result FAIL "$name" "the second kernel did not print its marker ($t, $log)"
	elif [ "$(tr -d '\r' < "$log" | grep -ac 'efi: EFI v')" -lt 2 ]; then
		result FAIL "$name" "the second kernel did not find EFI ($t, $log)"
	else
		result PASS "$name" "$t"
	fi
}

for v in $kernels; do
	efi_case "$v" efi-c-load-exec
	if [ "$v" = 6.1 ]; then
		efi_case "$v" efi-c-bz32-exec
		efi_case "$v" efi-c-mb-exec
		[ -z "${UKEXEC_E2E_CASES:-}" ] || efi_case "$v" efi-c-xen-exec
	fi
done
[ $e2e_nfail -eq 0 ]
