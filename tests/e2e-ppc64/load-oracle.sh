#!/bin/bash
# The -l byte oracle in QEMU (issue 13): the in-kernel kexec_file loader
# (kexec -s -l) against ukexec's userspace plan (kexec -c -l
# --purgatory-from=vmlinux: kexec_load, the running kernel's own purgatory
# relocated by ukexec), in the memory of qemu-system-ppc64 -M pseries -cpu
# power9 (TCG) running the 6.1 oracle kernel, on the machine of
# tests/golden/ppc64-pseries-6.1 (-m 1G,slots=4,maxmem=2G, crashkernel=128M),
# loading Debian's ppc64el vmlinux. Three boots, A (-s), B (-c) and C (-c
# without --purgatory-from: ukexec's own embedded purgatory), the same
# initramfs (tests/e2e-ppc64/init-load-oracle.sh) and command lines of the
# same length. After the load, tests/lib/gdbdump.py (--arch ppc64) sets two
# breakpoints and the guest runs kexec -e:
#   0  the purgatory's entry: kexec_sequence has copied every segment to its
#      place and jumps there in real mode (pc = the physical address)
#   1  the next kernel's first instruction (the purgatory rfid's there,
#      big-endian, real mode)
# At each stop the registers are read and every segment's [mem, mem+memsz)
# dumped (QMP pmemsave). tests/e2e-ppc64/load-compare.py has the rules:
# A against B, then A against C with --own-purgatory (the purgatory's code
# differs, every other segment's bytes not).
#
#   load-oracle.sh [--keep DIR]
#
# TAP. Exit 77 without the oracle kernel (CACHE/vmlinux of
# doc/dev/next-arches/build-ppc64le.sh, the sha256 of the golden's inputs;
# not built by CI), Debian's vmlinux and busybox (scripts/fetch-ppc64),
# CACHE/kexec-static (static-cross.sh), qemu-system-ppc64 or the cross
# compiler. UKEXEC_PPC64_TIMEOUT: seconds per boot (240; C, whose purgatory
# hashes ~42 MB under TCG before the kernel's entry, gets 180 more).
# UKEXEC_PPC64_C_ARGS: more arguments for B's and C's kexec -c -l (a mutation, e.g.
# --mem-min=0x600000, must fail the comparison).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/lib/qemu.sh"
. "$here/oracle-lib.sh"
keep=
if [ "${1:-}" = --keep ]; then
	keep=$2
	mkdir -p "$keep" && keep=$(cd "$keep" && pwd) || exit 1
fi
ppc64_oracle_need
tmp=$(mktemp -d) || exit 1
qpid=
trap '[ -n "$qpid" ] && kill "$(cat "$tmp/qemu.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$tmp"' EXIT
w=${keep:-$tmp}
t_all=$SECONDS

r=$tmp/root
ppc64_oracle_root "$r" "$here/init-load-oracle.sh" || exit 1
cp "$cache/vmlinux" "$r/oracle-vmlinux" &&
	sed -n 's/^cmdline-l //p' "$g/inputs" > "$r/cmdline-l" || exit 1
[ -n "${UKEXEC_PPC64_C_ARGS:-}" ] && echo "$UKEXEC_PPC64_C_ARGS" > "$r/c-args"
qemu_cpio "$r" "$tmp/initrd" || exit 1

qemu_arch ppc64le
qemu_tcg_cpu=power9
qemu_accel_tcg
timeout=${UKEXEC_PPC64_TIMEOUT:-240}

# wait_for LOG TAG: TAG is on the console (0), or the guest failed or QEMU
# ended (1)
wait_for() {
	while kill -0 "$qpid" 2>/dev/null; do
		if [ -f "$1" ]; then	# not before the QEMU lock is ours
			qemu_seen "$1" "$2" && return 0
			qemu_seen "$1" UKEXEC-FAIL && return 1
		fi
		sleep 0.3
	done
	qemu_seen "$1" "$2"
}

# oracle_boot MODE DIR: one boot (kexec -MODE -l); DIR gets console.log,
# gdb.json and I-seg-N.bin (segment N at stop I); its seconds in DIR/secs.
# Status 0 when both stops were hit and every dump taken; else DIR/why.
oracle_boot() {
	local mode=$1 d=$2 log=$2/console.log st=1 i entry kernel dargs=() t=$timeout gt=150
	# our purgatory checks the digest before the kernel's entry (~60 s under TCG)
	[ "$mode" = o ] && t=$((timeout + 180)) gt=330
	rm -rf "$d" && mkdir -p "$d" && mkfifo "$d/in" || return 1
	exec 6<>"$d/in"		# held open: QEMU's stdin never sees an end
	{
		st=0
		qemu_stdin=$d/in qemu_boot "$log" "$t" "$cache/vmlinux" "$tmp/initrd" \
			"crashkernel=128M ukexec.mode=$mode" -m 1G,slots=4,maxmem=2G \
			-chardev "socket,id=g,path=$d/gdb.sock,server=on,wait=off" -gdb chardev:g \
			-qmp "unix:$d/qmp.sock,server=on,wait=off" -pidfile "$tmp/qemu.pid" || st=$?
		echo "$qemu_secs" >"$d/secs"
		exit $st
	} &
	qpid=$!
	if ! wait_for "$log" UKEXEC-GDB-READY; then
		echo "kexec -$mode -l: no UKEXEC-GDB-READY" >"$d/why"
	else
		entry=$(qemu_field "$log" UKEXEC-ENTRY) kernel=$(qemu_field "$log" UKEXEC-KERNEL)
		tr -d '\r' <"$log" | sed -n 's/^UKEXEC-SEG //p' >"$d/table"
		while read -r i bufsz mem memsz; do
			dargs+=(--dump "$mem:$memsz:$d/{n}-seg-$i.bin")
		done <"$d/table"
		if [ -z "$entry" ] || [ -z "$kernel" ] || [ ${#dargs[@]} -eq 0 ]; then
			echo "kexec -$mode -l: no plan on the console" >"$d/why"
		elif python3 "$qemu_lib_dir/gdbdump.py" --arch ppc64 --gdb "$d/gdb.sock" --qmp "$d/qmp.sock" \
			--break "$entry" --break "$kernel" "${dargs[@]}" --timeout "$gt" \
			--then "echo go > '$d/in'" --quit >"$d/gdb.json" 2>"$d/gdb.err"; then
			st=0
		else
			echo "no stop at the purgatory's entry $entry and the kernel's $kernel, or a dump missing: $(head -c 600 "$d/gdb.json" "$d/gdb.err" | tr '\n' ' ')" >"$d/why"
		fi
	fi
	for i in $(seq 20); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.25; done
	kill -0 "$qpid" 2>/dev/null && python3 "$qemu_lib_dir/qmp.py" "$d/qmp.sock" quit >/dev/null 2>&1
	wait "$qpid"
	qpid=
	exec 6>&-
	return $st
}

show_log() {
	tr -d '\r' <"$1" | grep -aE 'UKEXEC-(ORACLE|LOADED|FAIL|GO|TOOL.*(rror|annot|efus))|Kernel panic|Oops' |
		tail -n 25 | sed 's/^/# /'
}

n_checks=14
echo "1..$n_checks"
nfail=0 booted=1 n=0
for m in s:A c:B o:C; do
	mode=${m%:*} b=${m#*:}
	n=$((n + 1))
	if oracle_boot "$mode" "$w/$b"; then
		echo "ok $n - boot $b: kexec -$mode -l, stopped at the purgatory's entry and at the kernel's, every segment dumped at both ($(cat "$w/$b/secs") s under TCG)"
	else
		booted=0 nfail=$((nfail + 1))
		echo "not ok $n - boot $b (kexec -$mode -l): $(cat "$w/$b/why" 2>/dev/null)"
		show_log "$w/$b/console.log"
		cp "$w/$b/console.log" "${TMPDIR:-/tmp}/ukexec-ppc64-load-oracle-$b.log" 2>/dev/null &&
			echo "# log: ${TMPDIR:-/tmp}/ukexec-ppc64-load-oracle-$b.log"
	fi
done
# compare OUT WANT ARGS...: load-compare.py ARGS into OUT, its WANT checks
# numbered on (those it did not make: not ok)
compare() {
	local out=$1 last=$((n + $2)) t0=$SECONDS st msg rc
	shift 2
	python3 "$here/load-compare.py" "$@" >"$out" 2>&1
	rc=$?
	echo "# load-compare.py $1: exit $rc, $((SECONDS - t0)) s"
	while read -r st msg; do
		n=$((n + 1))
		if [ "$st" = ok ]; then
			echo "ok $n - $msg"
		else
			nfail=$((nfail + 1))
			echo "not ok $n - $msg"
		fi
	done < <(sed -n 's/^CHECK //p' "$out")
	grep -v '^CHECK ' "$out" | sed 's/^/# /'
	while [ $n -lt $last ]; do
		n=$((n + 1)) nfail=$((nfail + 1))
		echo "not ok $n - no comparison ($1: $(tail -n 1 "$out"))"
	done
}
if [ $booted = 1 ]; then
	compare "$w/compare.txt" 6 "$w/A" "$w/B" "$cache/debian-vmlinux"
	compare "$w/compare-own.txt" 5 --own-purgatory "$w/A" "$w/C"
fi
while [ $n -lt $n_checks ]; do
	n=$((n + 1)) nfail=$((nfail + 1))
	echo "not ok $n - no comparison: a boot failed"
done
[ -n "$keep" ] || rm -f "$w"/*/*.bin
echo "# load-oracle.sh: $((SECONDS - t_all)) s"
[ $nfail -eq 0 ]
