# The QEMU test library of every architecture (sourced by tests/e2e-x86_64/lib.sh,
# tests/e2e-s390x/lib.sh and the scripts that use them): the architecture
# table, the accelerator probe, one guest under the machine-wide lock with a
# timeout, initramfs building, console markers and result lines. The python
# helpers beside it: qmp.py (QMP client, pmemsave), gdbdump.py (gdbstub:
# breakpoint, registers, memory dumps).
#
#   qemu_arch ARCH       x86_64, s390x, arm64 or ppc64le: sets qemu_bin,
#                        qemu_machine (array), qemu_console, the CPU models
#   qemu_accel_probe CACHE KERNEL INITRD
#                        sets qemu_accel (see there)
#   qemu_boot LOG TIMEOUT KERNEL INITRD APPEND [QEMU-ARGS...]
#   qemu_bg_boot, qemu_bg_wait, qemu_bg_end, qemu_bg_kill: a guest in the
#                        background with its gdbstub and QMP (byte oracles)
#   qemu_root, qemu_cpio, qemu_initramfs, qemu_marker, qemu_seen,
#   qemu_field, qemu_between, qemu_result, qemu_check_second_kernel
#
# Safe to source under set -euo pipefail: every command whose failure is
# expected (no KVM, no cached answer) is tested, never left to end the caller.
qemu_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
qemu_lock=/tmp/ukexec-qemu.lock	# one guest at a time, machine-wide
qemu_accel=()	# -accel/-cpu arguments: set by qemu_accel_probe, else TCG
qemu_mem=1G

qemu_log() { echo "e2e: $*" >&2; }

# qemu_arch ARCH: the architecture's QEMU: binary, machine, console device,
# the CPU model under KVM and under TCG (empty: QEMU's default), and the
# host's uname -m on which KVM can run its guests
qemu_arch() {
	qemu_machine=()
	qemu_kvm_cpu= qemu_tcg_cpu=
	case $1 in
	x86_64)
		qemu_bin=qemu-system-x86_64 qemu_console=ttyS0 qemu_kvm_host=x86_64
		qemu_kvm_cpu=host qemu_tcg_cpu=max ;;
	s390x)
		qemu_bin=qemu-system-s390x qemu_console=ttysclp0 qemu_kvm_host=s390x ;;
	arm64)
		qemu_bin=qemu-system-aarch64 qemu_console=ttyAMA0 qemu_kvm_host=aarch64
		qemu_machine=(-M virt) qemu_kvm_cpu=host qemu_tcg_cpu=max ;;
	ppc64le)
		qemu_bin=qemu-system-ppc64 qemu_console=hvc0 qemu_kvm_host=ppc64le
		qemu_machine=(-M pseries) ;;
	*)
		qemu_log "no QEMU table for architecture '$1'"
		return 1 ;;
	esac
	qemu_arch_name=$1
	qemu_accel=()
}

qemu_accel_tcg() { qemu_accel=(-accel tcg ${qemu_tcg_cpu:+-cpu "$qemu_tcg_cpu"}); }
qemu_accel_kvm() { qemu_accel=(-accel kvm ${qemu_kvm_cpu:+-cpu "$qemu_kvm_cpu"}); }

# qemu_accel_probe CACHE [KERNEL INITRD]: sets qemu_accel. UKEXEC_E2E_ACCEL
# (tcg or kvm) decides; else KVM only on a host that can run the guest, and
# only if KERNEL really boots with it within 20 s: its /init is asked for
# stage "probe" and must print "UKEXEC-PROBE kvm". The answer is kept for
# this host boot in the file CACHE ("BOOT-ID tcg|kvm"). Without a KERNEL: TCG.
qemu_accel_probe() {
	local cache=$1 kernel=${2:-} initrd=${3:-} boot_id cached tmp result=tcg
	case ${UKEXEC_E2E_ACCEL:-} in
	tcg) qemu_accel_tcg; return 0 ;;
	kvm) qemu_accel_kvm; return 0 ;;
	esac
	# no boot id, or no cached answer yet (a fresh machine): probe
	boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) || boot_id=
	cached=$(cat "$cache" 2>/dev/null) || cached=
	if [ -n "$boot_id" ] && [ "${cached% *}" = "$boot_id" ]; then
		[ "${cached#* }" = kvm ] && qemu_accel_kvm || qemu_accel_tcg
		return 0
	fi
	qemu_accel_tcg
	if [ "$(uname -m)" = "$qemu_kvm_host" ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
		[ -n "$kernel" ] && [ -s "$initrd" ]; then
		tmp=$(mktemp) || return 1
		flock "$qemu_lock" timeout --foreground -k 2 20 "$qemu_bin" "${qemu_machine[@]}" \
			-accel kvm ${qemu_kvm_cpu:+-cpu "$qemu_kvm_cpu"} -m 256M -smp 1 -nographic -no-reboot \
			-kernel "$kernel" -initrd "$initrd" \
			-append "console=$qemu_console panic=-1 ukexec.stage=probe ukexec.marker=kvm" \
			</dev/null >"$tmp" 2>&1 || true	# a hung or refused KVM guest: TCG
		if grep -q "UKEXEC-PROBE kvm" "$tmp"; then
			result=kvm
			qemu_accel_kvm
		fi
		rm -f "$tmp"
	fi
	qemu_log "accelerator: $result"
	if [ -n "$boot_id" ] && mkdir -p "$(dirname "$cache")"; then
		echo "$boot_id $result" > "$cache" || qemu_log "cannot cache the accelerator in $cache"
	fi
	return 0
}

# qemu_boot LOG TIMEOUT KERNEL INITRD APPEND [QEMU-ARGS...]: one guest of
# the architecture set by qemu_arch, $qemu_mem (1 GiB unless set), 1 vCPU,
# its console to LOG; panic or reboot ends it (-no-reboot and panic=-1),
# timeout ends a hung one. Waits for the machine-wide QEMU lock. Returns
# QEMU's (or timeout's) exit status; sets qemu_secs (wall time of the guest
# alone, not of the wait for the lock). Its stdin (the console's input) is
# $qemu_stdin, default /dev/null. A later -m in QEMU-ARGS wins.
qemu_boot() {
	local log=$1 t=$2 kernel=$3 initrd=$4 append=$5 st=0 t0 t1
	shift 5
	[ ${#qemu_accel[@]} -gt 0 ] || qemu_accel_tcg
	exec 7>>"$qemu_lock"
	flock 7
	t0=$(date +%s.%N)
	timeout --foreground -k 5 "$t" "$qemu_bin" "${qemu_machine[@]}" "${qemu_accel[@]}" \
		-m "$qemu_mem" -smp 1 -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
		-append "console=$qemu_console panic=-1 $append" "$@" <"${qemu_stdin:-/dev/null}" >"$log" 2>&1 || st=$?
	t1=$(date +%s.%N)
	flock -u 7
	exec 7>&-
	qemu_secs=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
	return $st
}

# A guest the host acts on while it runs (the byte oracles: breakpoints over
# the gdbstub, dumps over QMP, "go" lines on the console's input):
#
# qemu_bg_boot DIR TIMEOUT KERNEL INITRD APPEND [QEMU-ARGS...]: qemu_boot in
# the background into DIR (emptied first): console DIR/console.log, stdin
# the FIFO DIR/in (held open on fd 6: QEMU never sees its end), gdbstub
# DIR/gdb.sock, QMP DIR/qmp.sock; the guest's seconds go to DIR/secs.
# qemu_bg_pid is the background job (it also waits for the lock).
qemu_bg_pid=
qemu_bg_boot() {
	local d=$1 st
	shift
	rm -rf "$d" && mkdir -p "$d" && mkfifo "$d/in" || return 1
	exec 6<>"$d/in"
	{
		st=0
		qemu_stdin=$d/in qemu_boot "$d/console.log" "$@" \
			-chardev "socket,id=g,path=$d/gdb.sock,server=on,wait=off" -gdb chardev:g \
			-qmp "unix:$d/qmp.sock,server=on,wait=off" -pidfile "$d/qemu.pid" || st=$?
		echo "$qemu_secs" >"$d/secs"
		exit $st
	} &
	qemu_bg_pid=$!
	qemu_bg_dir=$d
}

# qemu_bg_wait LOG TAG: TAG is on the console (0), or the guest said
# UKEXEC-FAIL or QEMU ended without it (1)
qemu_bg_wait() {
	while kill -0 "$qemu_bg_pid" 2>/dev/null; do
		if [ -f "$1" ]; then
			qemu_seen "$1" "$2" && return 0
			qemu_seen "$1" UKEXEC-FAIL && return 1
		fi
		sleep 0.3
	done
	qemu_seen "$1" "$2"
}

# qemu_bg_end: the host side has quit QEMU (or the guest powered off); else,
# after 5 s, quit it over QMP. Waits for the background job, closes fd 6.
qemu_bg_end() {
	local i
	for i in $(seq 20); do kill -0 "$qemu_bg_pid" 2>/dev/null || break; sleep 0.25; done
	kill -0 "$qemu_bg_pid" 2>/dev/null &&
		python3 "$qemu_lib_dir/qmp.py" "$qemu_bg_dir/qmp.sock" quit >/dev/null 2>&1
	wait "$qemu_bg_pid" || true
	qemu_bg_pid=
	exec 6>&-
	rm -f "$qemu_bg_dir/qemu.pid"
	return 0
}

# qemu_bg_kill: for the caller's EXIT trap: a guest still running is ended
# (QEMU itself, by the pid it wrote)
qemu_bg_kill() {
	[ -z "$qemu_bg_pid" ] || kill "$(cat "$qemu_bg_dir/qemu.pid" 2>/dev/null)" 2>/dev/null || true
}

# qemu_root DIR BUSYBOX INIT: a guest root with busybox and INIT as /init
qemu_root() {
	local d=$1
	mkdir -p "$d/bin" || return 1
	cp "$2" "$d/bin/busybox" &&
		cp "$3" "$d/init" &&
		chmod +x "$d/init" "$d/bin/busybox"
}

# qemu_cpio DIR OUT: an uncompressed newc initramfs of DIR, in a stable
# order, owned by root (the guest unpacks it faster under TCG than a
# gzipped one: its payload is mostly compressed kernels anyway)
qemu_cpio() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$2"
}

# qemu_initramfs OUT BUSYBOX INIT [FILE=SRC...]: qemu_root + FILEs copied in
# + qemu_cpio
qemu_initramfs() {
	local out=$1 busybox=$2 init=$3 tmp f st
	shift 3
	tmp=$(mktemp -d) || return 1
	qemu_root "$tmp" "$busybox" "$init" || { rm -rf "$tmp"; return 1; }
	for f in "$@"; do
		mkdir -p "$tmp/$(dirname "${f%%=*}")" && cp "${f#*=}" "$tmp/${f%%=*}" ||
			{ rm -rf "$tmp"; return 1; }
	done
	st=0
	qemu_cpio "$tmp" "$out" || st=$?
	rm -rf "$tmp"
	return $st
}

# qemu_marker NAME: a unique marker (goes on a kernel command line)
qemu_marker() { echo "$1-$$-$RANDOM$RANDOM"; }

# qemu_seen LOG TEXT: TEXT is on a console line of LOG (fixed string; no
# pipe into grep -q: under pipefail its early exit would fail the pipe)
qemu_seen() { grep -aqF -- "$2" "$1"; }

# qemu_field LOG TAG: the rest of the first console line starting with TAG
qemu_field() {
	tr -d '\r' <"$1" | awk -v t="$2 " 'index($0, t) == 1 && !n++ { print substr($0, length(t) + 1) }'
}

# qemu_between LOG BEGIN END: the console lines strictly between two markers
qemu_between() { tr -d '\r' <"$1" | sed -n "/^$2\$/,/^$3\$/p" | sed '1d;$d'; }

# qemu_result PASS|FAIL|SKIP NAME [WHY]: one line in $results (set by the
# script), the same with WHY on stdout; FAILs are counted in qemu_nfail
qemu_nfail=0
qemu_result() {
	echo "$1 $2" >> "${results:?}"
	echo "$1 $2${3:+: $3}"
	[ "$1" = FAIL ] && qemu_nfail=$((qemu_nfail + 1))
	return 0
}

# qemu_check_second_kernel N CONSOLE INITRD2 SECS: TAP checks N and N+1 of a
# guest whose first kernel loaded (kexec -d: the plan's segment lines on
# CONSOLE) and executed a second one, whose /init prints
# UKEXEC-SECOND-KERNEL (its command line, which must carry ukexec.second)
# and UKEXEC-SECOND-INITRD (the initrd start its device tree names, in hex):
# that must be the plan's segment of INITRD2's size. SECS: the guest's
# seconds, for the message. Status 0 when both pass.
qemu_check_second_kernel() {
	local n=$1 console=$2 secs=$4 size want got line st=0
	line=$(grep -a '^UKEXEC-SECOND-KERNEL' "$console") || true
	case $line in
	*ukexec.second*)
		echo "ok $n - kexec -e: the second kernel booted with its command line ($secs s)" ;;
	*)
		st=1
		echo "not ok $n - kexec -e: no second kernel with ukexec.second ($secs s)"
		tail -30 "$console" | sed 's/^/# /' ;;
	esac
	size=$(printf '0x%x' "$(stat -c %s "$3")")
	want=$(grep -a "^segment\[.*bufsz=$size " "$console" | sed 's/.* mem=0x\([0-9a-f]*\) .*/\1/') || true
	got=$(grep -a '^UKEXEC-SECOND-INITRD' "$console" | awk '{ print $2 }') || true
	if [ -n "$want" ] && [ -n "$got" ] && [ $((0x$got)) -eq $((0x$want)) ]; then
		echo "ok $((n + 1)) - the second kernel's device tree puts its initrd at the plan's 0x$want"
	else
		st=1
		echo "not ok $((n + 1)) - the second kernel's device tree: initrd at 0x${got:-?}, the plan's at 0x${want:-?}"
	fi
	return $st
}
