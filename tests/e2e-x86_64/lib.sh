# Shared by tests/e2e-x86_64/*.sh (sourced): the inputs (scripts/fetch-kernels) and
# a static build of ukexec for the x86_64 e2e tests, and tests/lib/qemu.sh
# (the QEMU library of every architecture) set up for x86_64 under the
# e2e_* names the scripts use.
#
# Environment:
#   UKEXEC_E2E_CACHE   the fetch-kernels cache (default tests/e2e-x86_64/cache)
#   UKEXEC_E2E_ACCEL   "tcg" or "kvm": skip the KVM probe
#   UKEXEC_E2E_STATIC  a static build directory to use as is (kexec/kexec,
#                      tests/tools/sysdeny)
e2e_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
e2e_dir=$e2e_top/tests/e2e-x86_64
e2e_cache=${UKEXEC_E2E_CACHE:-$e2e_dir/cache}
e2e_accel=()	# set by e2e_qemu_accel
. "$e2e_top/tests/lib/qemu.sh"
qemu_arch x86_64
#
# Safe to source under set -euo pipefail: every command whose failure is
# expected (no cache yet, no KVM) is tested, never left to end the caller.

e2e_log() { qemu_log "$@"; }

# e2e_kernel VER: the path of the cached vmlinuz of VER (5.10, 6.1, 6.12)
e2e_kernel() {
	local k
	k=$(ls "$e2e_cache/$1"/boot/vmlinuz-* 2>/dev/null | head -n1) || true
	[ -n "$k" ] && [ -s "$k" ] || { e2e_log "no $1 kernel in $e2e_cache (scripts/fetch-kernels)"; return 1; }
	echo "$k"
}

# e2e_inputs: fetch the kernels and busybox (quick when cached)
e2e_inputs() {
	"$e2e_top/scripts/fetch-kernels" "$e2e_cache" >&2 &&
		[ -x "$e2e_cache/busybox" ] || [ -s "$e2e_cache/busybox" ]
}

# e2e_static_build DIR: configure (once) and build a static ukexec in DIR,
# outside the source tree; prints DIR. Only kexec and sysdeny are made.
e2e_static_build() {
	local dir=$1
	if [ -n "${UKEXEC_E2E_STATIC:-}" ]; then
		echo "$UKEXEC_E2E_STATIC"
		return 0
	fi
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	(
		flock 8
		cd "$dir" || exit 1
		if [ ! -f Makefile ]; then
			"$e2e_top/configure" -q LDFLAGS=-static >configure.log 2>&1 ||
				{ e2e_log "static configure failed: $dir/configure.log"; exit 1; }
		fi
		make -j2 kexec/kexec tests/tools/sysdeny >make.log 2>&1 ||
			{ e2e_log "static build failed: $dir/make.log"; tail -5 make.log >&2; exit 1; }
	) 8>"$dir.lock" || return 1
	[ -x "$dir/kexec/kexec" ] && [ -x "$dir/tests/tools/sysdeny" ] || return 1
	echo "$dir"
}

# e2e_qemu_accel: sets e2e_accel (the -accel/-cpu arguments). KVM is used
# only if a guest really boots with it within 20 s; else TCG with -cpu max.
# The answer is kept for this host boot in $e2e_cache/accel.
e2e_qemu_accel() {
	local tmp k= st=0
	# a probe guest only where KVM could answer
	if [ -z "${UKEXEC_E2E_ACCEL:-}" ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
		k=$(e2e_kernel 6.12 2>/dev/null || e2e_kernel 6.1); then
		tmp=$(mktemp -d) || return 1
		e2e_root "$tmp/root" && e2e_cpio "$tmp/root" "$tmp/initrd" || { rm -rf "$tmp"; return 1; }
		qemu_accel_probe "$e2e_cache/accel" "$k" "$tmp/initrd" || st=$?
		rm -rf "$tmp"
	else
		qemu_accel_probe "$e2e_cache/accel" || st=$?
	fi
	e2e_accel=("${qemu_accel[@]}")
	return $st
}

# e2e_qemu LOG TIMEOUT KERNEL INITRD APPEND [QEMU-ARGS...]: qemu_boot
# (tests/lib/qemu.sh) of an x86_64 guest: 1 GiB, 1 vCPU, serial console to
# LOG, -no-reboot and panic=-1, under the machine-wide lock and TIMEOUT.
# Sets e2e_secs; its stdin is $e2e_stdin, default /dev/null.
e2e_qemu() {
	local st=0
	[ ${#e2e_accel[@]} -gt 0 ] || e2e_qemu_accel
	qemu_accel=("${e2e_accel[@]}")
	qemu_stdin=${e2e_stdin:-/dev/null} qemu_boot "$@" || st=$?
	e2e_secs=$qemu_secs
	return $st
}

# e2e_root DIR: a guest root with busybox, our /init (tests/e2e-x86_64/init.sh)
# and the helpers every /init sources (guest.sh)
e2e_root() {
	qemu_root "$1" "$e2e_cache/busybox" "$e2e_dir/init.sh" && cp "$e2e_dir/guest.sh" "$1/guest.sh"
}

# e2e_cpio DIR OUT: qemu_cpio, an uncompressed newc initramfs of DIR
e2e_cpio() { qemu_cpio "$@"; }

# e2e_initramfs OUT [FILE=SRC...]: e2e_root + FILEs copied in + e2e_cpio
e2e_initramfs() {
	local out=$1
	shift
	qemu_initramfs "$out" "$e2e_cache/busybox" "$e2e_dir/init.sh" guest.sh="$e2e_dir/guest.sh" "$@"
}

# Console markers and result lines: tests/lib/qemu.sh's, under their e2e names
e2e_marker() { qemu_marker "$@"; }
e2e_seen() { qemu_seen "$@"; }
e2e_field() { qemu_field "$@"; }
e2e_between() { qemu_between "$@"; }
e2e_nfail=0
e2e_result() {
	qemu_result "$@"
	e2e_nfail=$qemu_nfail
}

# e2e_each_kernel STATUS WHY CASE...: an e2e_result STATUS x86_64-VER-CASE WHY
# for every VER in $kernels and every CASE
e2e_each_kernel() {
	local st=$1 why=$2 v c
	shift 2
	for v in $kernels; do
		for c in "$@"; do e2e_result "$st" "x86_64-$v-$c" "$why"; done
	done
}

# e2e_results_file NAME: sets results ($UKEXEC_E2E_RESULTS, else
# tests/e2e-x86_64/NAME); our own file holds this run's lines only, another
# one is appended to
e2e_results_file() {
	results=${UKEXEC_E2E_RESULTS:-$e2e_dir/$1}
	[ "$(realpath -m "$results")" != "$(realpath -m "$e2e_dir/$1")" ] || : > "$results"
}

# e2e_prepare BUILD "CASE..." [TARGET...]: what a QEMU script needs before
# its guests. Without the tools or the kernels: a SKIP x86_64-VER-CASE for
# each kernel and CASE, exit 0. The static build BUILD-static ($static) with
# the TARGETs made in it too, else a FAIL x86_64-VER-static-build for each
# kernel, exit 1. Then the accelerator (e2e_qemu_accel).
e2e_prepare() {
	local build=$1 cases=$2 missing t
	shift 2
	# shellcheck disable=SC2086
	missing=$(e2e_missing_tool) && { e2e_each_kernel SKIP "no $missing" $cases; exit 0; }
	# shellcheck disable=SC2086
	e2e_inputs || { e2e_each_kernel SKIP "scripts/fetch-kernels failed (offline?)" $cases; exit 0; }
	static=$(e2e_static_build "$build-static")
	for t in "$@"; do
		[ -z "$static" ] || flock "$static.lock" make -C "$static" "$t" >"$static/make-${t##*/}.log" 2>&1 ||
			static=
	done
	if [ -z "$static" ]; then
		e2e_each_kernel FAIL "see $build-static/make*.log" static-build
		exit 1
	fi
	e2e_qemu_accel
}

# e2e_setup_run RESULTS: a QEMU test script's settings: results
# (e2e_results_file RESULTS), logs (made), kernels, keep (made absolute, if
# set) and t_all, the start time
e2e_setup_run() {
	e2e_results_file "$1"
	logs=$e2e_dir/logs
	kernels=${UKEXEC_E2E_KERNELS:-5.10 6.1 6.12 7.3}
	mkdir -p "$logs"
	[ -z "$keep" ] || { mkdir -p "$keep" && keep=$(cd "$keep" && pwd); } || exit 1
	t_all=$SECONDS
}

# e2e_work_dir VER: the directory of VER's oracle boots, made: $keep/VER
# (--keep), else $tmp/oracle-VER
e2e_work_dir() {
	local w=${keep:+$keep/$1}
	w=${w:-$tmp/oracle-$1}
	mkdir -p "$w" && echo "$w"
}

# e2e_dyndbg VER: true when VER logs its kexec_file plan only through the
# pr_debug()s of dynamic debug (KEXEC_FILE_DEBUG came with 6.8: 5.10, 6.1)
e2e_dyndbg() {
	case $1 in 5.10|6.1) return 0 ;; esac
	return 1
}

# e2e_oracle_append VER MODE [ARG]: the command line of an oracle boot
# (init-crash.sh, init-load-oracle.sh): stage, mode, marker, ARG, nokaslr
# (every boot of a kernel sees the same machine) and, on 5.10 and 6.1, the
# kexec_file pr_debug()s
e2e_oracle_append() {
	local append="ukexec.stage=oracle ukexec.mode=$2 ukexec.marker=oracle-$1${3:+ $3} nokaslr"
	! e2e_dyndbg "$1" || append="$append ukexec.dyndbg=1"
	echo "$append"
}

# e2e_help: the script's header comment as its --help
e2e_help() { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; }

# e2e_missing_tool: the first tool the QEMU tests need that is not installed
e2e_missing_tool() {
	local t
	for t in qemu-system-x86_64 cpio python3; do
		command -v "$t" >/dev/null || { echo "$t"; return 0; }
	done
	return 1
}

# e2e_mbtest DIR: the multiboot test kernel (mbtest.S, as --32 + ld -m
# elf_i386) as DIR/mbtest.elf and its module DIR/mbmod; fails without the
# 32-bit binutils
e2e_mbtest() {
	as --32 -o "$1/mbtest.o" "$e2e_dir/mbtest.S" && ld -m elf_i386 -z max-page-size=0x1000 \
		-T "$e2e_dir/mbtest.ld" -o "$1/mbtest.elf" "$1/mbtest.o" 2>/dev/null &&
		echo "ukexec-module-bytes" > "$1/mbmod"
}

# e2e_xen_inputs DIR KEXEC: Xen (scripts/fetch-xen) as e2e_xen and dom0's
# initramfs (made once, with KEXEC) as DIR/initrd2x
e2e_xen_inputs() {
	e2e_xen=$("$e2e_top/scripts/fetch-xen") || return 1
	[ -s "$1/initrd2x" ] || e2e_initramfs "$1/initrd2x" kexec="$2"
}

# e2e_check_multiboot NAME MODE LOG MARKER TIME: the result of a multiboot
# (MODE m) or multiboot2 (m2) boot of mbtest: the registers, the tags it
# prints and the module's bytes, reported through the caller's result()
e2e_check_multiboot() {
	local name=$1 mode=$2 log=$3 m2=$4 t=$5 want wants=("UKEXEC-MB eax=0x2badb002 flags=0x0000024d")
	[ "$mode" = m2 ] && wants=("UKEXEC-MB2 eax=0x36d76289" "UKEXEC-MB2-MEMINFO mem_lower=0x0000027f"
		"UKEXEC-MB2-MMAP size=" "UKEXEC-FB0 1024,768 16 2048"
		"UKEXEC-MB2-FB size=0x00000026 addr=0xfd000000 pitch=0x00000800 width=0x00000400 height=0x00000300 bpp_type=0x00000110 rgb=0x0605050b")
	for want in "${wants[@]}" "UKEXEC-MB-CMDLINE /mbtest.elf ukexec.marker=$m2" \
		"UKEXEC-MB-LOADER ukexec " "UKEXEC-MB-MOD /mbmod modarg1 modarg2 bytes=ukexec-module-b" \
		"UKEXEC-MB-DONE"; do
		e2e_seen "$log" "$want" && continue
		result FAIL "$name" "the multiboot kernel did not print '$want' ($t, $log:" \
			"$(tr -d '\r' <"$log" | grep -E 'UKEXEC-(FAIL|OUT|MB)' | head -3 | tr '\n' ' '))"
		return
	done
	result PASS "$name" "$t, $(tr -d '\r' <"$log" | grep -a '^UKEXEC-MB2* eax' | head -1)"
}

# e2e_check_xen NAME LOG MARKER TIME [WANT...]: the result of a boot of Xen
# with the Debian kernel as dom0: Xen's banner and command line, dom0 up as
# a PV guest printing MARKER, and ukexec refusing a load in dom0; WANTs
# first; reported through the caller's result()
e2e_check_xen() {
	local name=$1 log=$2 m2=$3 t=$4 want
	shift 4
	for want in "$@" "(XEN) Xen version" "(XEN) Bootloader: ukexec" \
		"(XEN) Command line: console=com1" "(XEN)  Dom0 kernel: 64-bit" \
		"Hypervisor detected: Xen PV" "UKEXEC-SECOND $m2" \
		"UKEXEC-DOM0-LOAD exit 1 " "this is a Xen dom0, where kexec loads through Xen hypercalls"; do
		e2e_seen "$log" "$want" && continue
		result FAIL "$name" "Xen and dom0 did not print '$want' ($t, $log:" \
			"$(tr -d '\r' <"$log" | grep -aE 'UKEXEC-(FAIL|OUT)|Panic|PANIC' | head -3 | tr '\n' ' '))"
		return
	done
	result PASS "$name" "$t, $(tr -d '\r' <"$log" | grep -ao '(XEN) Xen version [^ ]* ([^)]*)' | head -1), dom0: $(e2e_field "$log" UKEXEC-DOM0-LOAD | cut -c1-60)"
}
