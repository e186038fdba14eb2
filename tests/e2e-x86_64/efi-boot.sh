#!/bin/bash
# kexec on an EFI-booted x86_64 machine: Debian's 6.1 and 6.12 kernels under
# OVMF (QEMU's direct kernel boot through the kernel's EFI stub), TCG.
#   efi-c-load-exec   kexec -c -l (ukexec's userspace plan: the EFI runtime
#                     map, efi_info and SETUP_EFI in boot_params) + kexec -e:
#                     the second kernel prints its marker and sees EFI again
#                     (it prints UKEXEC-SECOND only after /init runs; the
#                     log must also show "efi: EFI v" from the second boot).
#   tests/e2e-x86_64/efi-boot.sh BUILD_DIR
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
	e2e_each_kernel SKIP "no OVMF, QEMU or kernels" efi-c-load-exec
	exit 0
fi
static=$(e2e_static_build "$build-static")
if [ -z "$static" ]; then
	e2e_each_kernel FAIL "static build failed" efi-c-load-exec
	exit 1
fi
e2e_qemu_accel

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
e2e_root "$tmp/r2" && e2e_cpio "$tmp/r2" "$tmp/initrd2" || exit 1

for v in $kernels; do
	name=x86_64-$v-efi-c-load-exec
	kernel=$(e2e_kernel "$v") || { result SKIP "$name" "no $v kernel"; continue; }
	e2e_initramfs "$tmp/initrd1-$v" kexec="$static/kexec/kexec" \
		sysdeny="$static/tests/tools/sysdeny" vmlinuz="$kernel" initrd2="$tmp/initrd2" ||
		{ result FAIL "$name" "initramfs"; continue; }
	cp "$ovmf_vars" "$tmp/vars.fd"
	m1=$(e2e_marker first) m2=$(e2e_marker next)
	log=$logs/$name.log
	e2e_qemu "$log" "${UKEXEC_E2E_TIMEOUT:-240}" "$kernel" "$tmp/initrd1-$v" \
		"ukexec.stage=load ukexec.mode=c ukexec.marker=$m1 ukexec.next=$m2" \
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code" \
		-drive "if=pflash,format=raw,unit=1,file=$tmp/vars.fd"
	st=$?
	t="${e2e_secs}s, qemu exit $st"
	if ! e2e_seen "$log" "UKEXEC-FIRST $m1"; then
		result FAIL "$name" "the first kernel did not reach /init ($t, $log)"
	elif ! e2e_seen "$log" "UKEXEC-SECOND $m2"; then
		result FAIL "$name" "the second kernel did not print its marker ($t, $log)"
	elif [ "$(tr -d '\r' < "$log" | grep -ac 'efi: EFI v')" -lt 2 ]; then
		result FAIL "$name" "the second kernel did not find EFI ($t, $log)"
	else
		result PASS "$name" "$t"
	fi
done
[ $e2e_nfail -eq 0 ]
