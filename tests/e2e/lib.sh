# Shared by tests/e2e/*.sh (sourced): the inputs (scripts/fetch-kernels), a
# static build of ukexec, the accelerator probe, the QEMU runner, the
# initramfs builder and the console-marker helpers of the x86_64 e2e tests.
#
# Environment:
#   UKEXEC_E2E_CACHE   the fetch-kernels cache (default tests/e2e/cache)
#   UKEXEC_E2E_ACCEL   "tcg" or "kvm": skip the KVM probe
#   UKEXEC_E2E_STATIC  a static build directory to use as is (kexec/kexec,
#                      tests/tools/sysdeny)
e2e_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
e2e_dir=$e2e_top/tests/e2e
e2e_cache=${UKEXEC_E2E_CACHE:-$e2e_dir/cache}
e2e_lock=/tmp/ukexec-qemu.lock	# one guest at a time, machine-wide
e2e_accel=()	# set by e2e_qemu_accel
#
# Safe to source under set -euo pipefail: every command whose failure is
# expected (no cache yet, no KVM) is tested, never left to end the caller.

e2e_log() { echo "e2e: $*" >&2; }

# e2e_kernel VER: the path of the cached vmlinuz of VER (6.1, 6.12)
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
	local boot_id cached tmp k
	case ${UKEXEC_E2E_ACCEL:-} in
	tcg) e2e_accel=(-accel tcg -cpu max); return 0 ;;
	kvm) e2e_accel=(-accel kvm -cpu host); return 0 ;;
	esac
	# no boot id, or no cached answer yet (a fresh machine): probe
	boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) || boot_id=
	cached=$(cat "$e2e_cache/accel" 2>/dev/null) || cached=
	if [ -n "$boot_id" ] && [ "${cached% *}" = "$boot_id" ]; then
		[ "${cached#* }" = kvm ] && e2e_accel=(-accel kvm -cpu host) || e2e_accel=(-accel tcg -cpu max)
		return 0
	fi
	e2e_accel=(-accel tcg -cpu max)
	local result=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && k=$(e2e_kernel 6.12 2>/dev/null || e2e_kernel 6.1); then
		tmp=$(mktemp -d) || return 1
		e2e_root "$tmp/root" && e2e_cpio "$tmp/root" "$tmp/initrd" || { rm -rf "$tmp"; return 1; }
		flock "$e2e_lock" timeout --foreground -k 2 20 qemu-system-x86_64 -accel kvm -cpu host \
			-m 256M -smp 1 -nographic -no-reboot -kernel "$k" -initrd "$tmp/initrd" \
			-append "console=ttyS0 panic=-1 ukexec.stage=probe ukexec.marker=kvm" \
			</dev/null >"$tmp/log" 2>&1 || true	# a hung or refused KVM guest: TCG
		if grep -q "UKEXEC-PROBE kvm" "$tmp/log"; then
			result=kvm
			e2e_accel=(-accel kvm -cpu host)
		fi
		rm -rf "$tmp"
	fi
	e2e_log "accelerator: $result"
	if [ -n "$boot_id" ] && mkdir -p "$e2e_cache"; then
		echo "$boot_id $result" > "$e2e_cache/accel" || e2e_log "cannot cache the accelerator in $e2e_cache/accel"
	fi
	return 0
}

# e2e_qemu LOG TIMEOUT KERNEL INITRD APPEND [QEMU-ARGS...]: one guest, 1 GiB,
# 1 vCPU, serial console to LOG; panic or reboot ends it (-no-reboot and
# panic=-1), timeout ends a hung one. Waits for the machine-wide QEMU lock.
# Returns QEMU's (or timeout's) exit status; sets e2e_secs (wall time of the
# guest alone, not of the wait for the lock). Its stdin (the serial console's
# input) is $e2e_stdin, default /dev/null.
e2e_qemu() {
	local log=$1 t=$2 kernel=$3 initrd=$4 append=$5 st=0
	shift 5
	[ ${#e2e_accel[@]} -gt 0 ] || e2e_qemu_accel
	exec 7>>"$e2e_lock"
	flock 7
	local t0=$(date +%s.%N)
	timeout --foreground -k 5 "$t" qemu-system-x86_64 "${e2e_accel[@]}" -m 1G -smp 1 \
		-nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 $append" "$@" <"${e2e_stdin:-/dev/null}" >"$log" 2>&1 || st=$?
	local t1=$(date +%s.%N)
	flock -u 7
	exec 7>&-
	e2e_secs=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
	return $st
}

# e2e_root DIR: a guest root with busybox and our /init (tests/e2e/init.sh)
e2e_root() {
	local d=$1
	mkdir -p "$d/bin" || return 1
	cp "$e2e_cache/busybox" "$d/bin/busybox" &&
		cp "$e2e_dir/init.sh" "$d/init" &&
		chmod +x "$d/init" "$d/bin/busybox"
}

# e2e_cpio DIR OUT: an uncompressed newc initramfs of DIR (the guest
# unpacks it faster under TCG than a gzipped one: its payload is mostly
# compressed kernels anyway)
e2e_cpio() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$2"
}

# e2e_initramfs OUT [FILE=SRC...]: e2e_root + FILEs copied in + e2e_cpio
e2e_initramfs() {
	local out=$1 tmp f
	shift
	tmp=$(mktemp -d) || return 1
	e2e_root "$tmp" || { rm -rf "$tmp"; return 1; }
	for f in "$@"; do
		mkdir -p "$tmp/$(dirname "${f%%=*}")" && cp "${f#*=}" "$tmp/${f%%=*}" ||
			{ rm -rf "$tmp"; return 1; }
	done
	e2e_cpio "$tmp" "$out"
	local st=$?
	rm -rf "$tmp"
	return $st
}

# e2e_marker NAME: a unique marker (goes on a kernel command line)
e2e_marker() { echo "$1-$$-$RANDOM$RANDOM"; }

# e2e_seen LOG TEXT: TEXT is on a console line of LOG (fixed string; no
# pipe into grep -q: under pipefail its early exit would fail the pipe)
e2e_seen() { grep -aqF -- "$2" "$1"; }

# e2e_field LOG TAG: the rest of the first console line starting with TAG
e2e_field() {
	tr -d '\r' <"$1" | awk -v t="$2 " 'index($0, t) == 1 && !n++ { print substr($0, length(t) + 1) }'
}

# e2e_between LOG BEGIN END: the console lines strictly between two markers
e2e_between() { tr -d '\r' <"$1" | sed -n "/^$2\$/,/^$3\$/p" | sed '1d;$d'; }

# e2e_result PASS|FAIL|SKIP NAME [WHY]: one line in $results (set by the
# script), the same with WHY on stdout; FAILs are counted in e2e_nfail
e2e_nfail=0
e2e_result() {
	echo "$1 $2" >> "${results:?}"
	echo "$1 $2${3:+: $3}"
	[ "$1" = FAIL ] && e2e_nfail=$((e2e_nfail + 1))
	return 0
}

# e2e_missing_tool: the first tool the QEMU tests need that is not installed
e2e_missing_tool() {
	local t
	for t in qemu-system-x86_64 cpio python3; do
		command -v "$t" >/dev/null || { echo "$t"; return 0; }
	done
	return 1
}
