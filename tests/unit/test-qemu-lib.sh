#!/bin/bash
# tests/lib/qemu.sh without QEMU: the architecture table, the command line
# qemu_boot builds (through a stand-in QEMU that prints its arguments), that
# it holds the lock while QEMU runs, the initramfs archive, the console
# markers, and that all of it is safe under set -euo pipefail.
. "${top_srcdir:-.}/tests/unit/tap.sh"
top=${top_srcdir:-.}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# lib COMMANDS: run COMMANDS in a strict shell that sources the library,
# with its lock and a stand-in QEMU in $tmp
cat > "$tmp/qemu" <<'EOF'
#!/bin/bash
# a stand-in QEMU: its arguments one a line, whether the lock is held, exit 3
printf '%s\n' "$@"
flock -n "$QEMU_TEST_LOCK" true && echo "lock: free" || echo "lock: held"
exit 3
EOF
chmod +x "$tmp/qemu"
lib() {
	QEMU_TEST_LOCK=$tmp/lock bash -c 'set -euo pipefail
		. "$1/tests/lib/qemu.sh"
		qemu_lock=$2/lock
		eval "$3"' lib "$top" "$tmp" "$1"
}

lib 'echo sourced' > "$tmp/out" 2>&1 && [ "$(cat "$tmp/out")" = sourced ]
ok $? "the library sources under set -euo pipefail"

# table ARCH BINARY MACHINE CONSOLE
table() {
	lib "qemu_arch $1; echo \"\$qemu_bin|\${qemu_machine[*]}|\$qemu_console\"" > "$tmp/out" 2>&1
	[ "$(cat "$tmp/out")" = "$2|$3|$4" ]
	ok $? "qemu_arch $1: $(cat "$tmp/out")"
}
table x86_64 qemu-system-x86_64 "" ttyS0
table s390x qemu-system-s390x "" ttysclp0
table arm64 qemu-system-aarch64 "-M virt" ttyAMA0
table ppc64le qemu-system-ppc64 "-M pseries" hvc0
lib 'qemu_arch vax' > "$tmp/out" 2>&1
[ $? -ne 0 ] && grep -q "no QEMU table for architecture 'vax'" "$tmp/out"
ok $? "qemu_arch refuses an unknown architecture: $(cat "$tmp/out")"

UKEXEC_E2E_ACCEL=tcg lib 'qemu_arch x86_64; qemu_accel_probe "$2/accel"; echo "${qemu_accel[*]}"' > "$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = "-accel tcg -cpu max" ]; ok $? "x86_64 under TCG: $(cat "$tmp/out")"
UKEXEC_E2E_ACCEL=tcg lib 'qemu_arch s390x; qemu_accel_probe "$2/accel"; echo "${qemu_accel[*]}"' > "$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = "-accel tcg" ]; ok $? "s390x under TCG: $(cat "$tmp/out")"

# qemu_boot through the stand-in: its exit status comes back, the arguments
# are the architecture's, the lock is held while it runs
lib 'qemu_arch arm64; qemu_bin=$2/qemu
	st=0; qemu_boot "$2/log" 10 KERNEL INITRD "a=1 b" -x y || st=$?
	echo "status $st secs $qemu_secs"' > "$tmp/out" 2>&1
grep -qx "status 3 secs [0-9.]*" "$tmp/out"; ok $? "qemu_boot returns QEMU's status and sets qemu_secs: $(cat "$tmp/out")"
tr '\n' ' ' < "$tmp/log" > "$tmp/args"
[ "$(cat "$tmp/args")" = "-M virt -accel tcg -cpu max -m 1G -smp 1 -nographic -no-reboot -kernel KERNEL -initrd INITRD -append console=ttyAMA0 panic=-1 a=1 b -x y lock: held " ]
ok $? "qemu_boot's command line (arm64): $(cat "$tmp/args")"
lib 'qemu_arch ppc64le; qemu_bin=$2/qemu; qemu_boot "$2/log" 10 K I "" || true' > /dev/null 2>&1
grep -qx -- "console=hvc0 panic=-1 " "$tmp/log" && grep -qx -- "pseries" "$tmp/log"
ok $? "qemu_boot's console and machine (ppc64le)"
lib 'qemu_arch x86_64; qemu_bin=$2/qemu; qemu_boot "$2/log" 10 K I "" || true
	flock -n "$2/lock" true && echo "free after"' > "$tmp/out" 2>&1
grep -qx "free after" "$tmp/out"; ok $? "the lock is free once the guest ended"

# the initramfs: every file, sorted, newc
mkdir -p "$tmp/root/b" && echo 1 > "$tmp/root/b/z" && echo 2 > "$tmp/root/a" && echo 3 > "$tmp/bb"
printf '#!/bin/sh\n' > "$tmp/init"
lib 'qemu_initramfs "$2/initramfs" "$2/bb" "$2/init" x/y="$2/root/a"' > "$tmp/out" 2>&1
ok $? "qemu_initramfs builds $(head -c 200 "$tmp/out")"
cpio -it --quiet < "$tmp/initramfs" > "$tmp/list" 2>/dev/null
[ "$(tr '\n' ' ' < "$tmp/list")" = ". bin bin/busybox init x x/y " ]
ok $? "its files, in order: $(tr '\n' ' ' < "$tmp/list")"
[ "$(head -c 6 "$tmp/initramfs")" = 070701 ]; ok $? "a newc archive, uncompressed"

# the console markers, on a log with CRLF line ends
printf 'boot\r\nUKEXEC-FIELD one two\r\nUKEXEC-FIELD three\r\nB\r\nx\r\ny\r\nE\r\n' > "$tmp/console"
lib 'qemu_field "$2/console" UKEXEC-FIELD' > "$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = "one two" ]; ok $? "qemu_field: the first line's rest, no CR: '$(cat "$tmp/out")'"
lib 'qemu_between "$2/console" B E | tr "\n" ,' > "$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = "x,y," ]; ok $? "qemu_between: the lines strictly between: $(cat "$tmp/out")"
lib 'qemu_seen "$2/console" "FIELD three" && ! qemu_seen "$2/console" "FIELD four" && echo fine' > "$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = fine ]; ok $? "qemu_seen: found and not found, the caller goes on"
lib 'results=$2/results; qemu_result PASS a; qemu_result FAIL b why; echo "nfail $qemu_nfail"' > "$tmp/out" 2>&1
[ "$(tr '\n' '|' < "$tmp/results")" = "PASS a|FAIL b|" ] && grep -qx "FAIL b: why" "$tmp/out" && grep -qx "nfail 1" "$tmp/out"
ok $? "qemu_result: the results file, the line with its reason, the count of FAILs"

# a guest in the background (qemu_bg_*), through a stand-in QEMU that writes
# its pid file, says UKEXEC-GDB-READY (UKEXEC-FAIL with "fail" on its
# command line) and waits for a console line on its stdin
cat > "$tmp/qemu-bg" <<'EOF'
#!/bin/bash
printf '%s\n' "$@" > "$(dirname "$0")/bg-args"
while [ $# -gt 0 ]; do [ "$1" = -pidfile ] && echo $$ > "$2"; shift; done
case $(cat "$(dirname "$0")/bg-args") in
*fail*) echo "UKEXEC-FAIL the load" ;;
*) echo UKEXEC-GDB-READY ;;
esac
read -r -t 20 line && echo "UKEXEC-GO $line"
EOF
chmod +x "$tmp/qemu-bg"
lib 'qemu_arch s390x; qemu_bin=$2/qemu-bg
	qemu_bg_boot "$2/bg" 30 K I "a=1" && echo booted
	qemu_bg_wait "$2/bg/console.log" UKEXEC-GDB-READY && echo ready
	echo go > "$2/bg/in"
	qemu_bg_end
	echo "ended [$qemu_bg_pid] secs $(cat "$2/bg/secs")"' > "$tmp/out" 2>&1
grep -qx booted "$tmp/out" && grep -qx ready "$tmp/out" && grep -qx "ended \[\] secs [0-9.]*" "$tmp/out" &&
	grep -qx "UKEXEC-GO go" "$tmp/bg/console.log"
ok $? "qemu_bg_boot, qemu_bg_wait, the guest's stdin, qemu_bg_end: $(tr '\n' ' ' < "$tmp/out")"
tr '\n' ' ' < "$tmp/bg-args" > "$tmp/args"
[ "$(cat "$tmp/args")" = "-accel tcg -m 1G -smp 1 -nographic -no-reboot -kernel K -initrd I -append console=ttysclp0 panic=-1 a=1 -chardev socket,id=g,path=$tmp/bg/gdb.sock,server=on,wait=off -gdb chardev:g -qmp unix:$tmp/bg/qmp.sock,server=on,wait=off -pidfile $tmp/bg/qemu.pid " ] &&
	[ ! -e "$tmp/bg/qemu.pid" ]
ok $? "qemu_bg_boot's command line (gdbstub, QMP, pid file, removed at the end): $(cat "$tmp/args")"
lib 'qemu_arch s390x; qemu_bin=$2/qemu-bg
	qemu_bg_boot "$2/bg" 30 K I "fail"
	t0=$SECONDS
	qemu_bg_wait "$2/bg/console.log" UKEXEC-GDB-READY && echo ready || echo "not ready after $((SECONDS - t0)) s"
	echo go > "$2/bg/in"
	qemu_bg_end' > "$tmp/out" 2>&1
grep -qx "not ready after [0-9] s" "$tmp/out"
ok $? "qemu_bg_wait: UKEXEC-FAIL ends the wait, not the guest's end: $(tr '\n' ' ' < "$tmp/out")"
lib 'qemu_arch s390x; qemu_bin=$2/qemu-bg
	qemu_bg_boot "$2/bg" 30 K I "a=1"
	qemu_bg_wait "$2/bg/console.log" UKEXEC-GDB-READY
	qemu_bg_kill
	wait "$qemu_bg_pid" || echo "status $?"' > "$tmp/out" 2>&1
grep -qx "status 143" "$tmp/out" && ! grep -q UKEXEC-GO "$tmp/bg/console.log"
ok $? "qemu_bg_kill ends the guest by its pid file: $(tr '\n' ' ' < "$tmp/out")"

# qemu_check_second_kernel on consoles: a good one, then one fault each
head -c 4660 /dev/zero > "$tmp/initrd2"
second() {	# second CMDLINE INITRD-START: the console of a kexec -e into a second kernel
	printf '%s\n' "segment[0]: buf=0xffff0000 bufsz=0x2000 mem=0x40200000 memsz=0x3000" \
		"segment[1]: buf=0xffff8000 bufsz=0x1234 mem=0x48000000 memsz=0x2000" \
		"UKEXEC-LOADED rc=0" "UKEXEC-SECOND-KERNEL cmdline=[$1]" "UKEXEC-SECOND-INITRD $2" > "$tmp/second"
	lib 'qemu_check_second_kernel 4 "$2/second" "$2/initrd2" 12.5 && echo "status 0" || echo "status $?"' > "$tmp/out" 2>&1
}
second "console=ttyAMA0 panic=-1 ukexec.second" 0000000048000000
grep -qx "ok 4 - kexec -e: the second kernel booted with its command line (12.5 s)" "$tmp/out" &&
	grep -qx "ok 5 - the second kernel's device tree puts its initrd at the plan's 0x48000000" "$tmp/out" &&
	grep -qx "status 0" "$tmp/out"
ok $? "qemu_check_second_kernel: a second kernel as planned: $(grep -c '^ok' "$tmp/out") ok"
second "console=ttyAMA0 panic=-1" 0000000048000000
grep -q "^not ok 4 - kexec -e: no second kernel with ukexec.second" "$tmp/out" && grep -q "^ok 5 " "$tmp/out" &&
	grep -qx "status 1" "$tmp/out"
ok $? "qemu_check_second_kernel: a command line without ukexec.second fails check 4"
second "console=ttyAMA0 panic=-1 ukexec.second" 0000000048001000
grep -q "^ok 4 " "$tmp/out" &&
	grep -q "^not ok 5 - the second kernel's device tree: initrd at 0x0000000048001000, the plan's at 0x48000000" "$tmp/out" &&
	grep -qx "status 1" "$tmp/out"
ok $? "qemu_check_second_kernel: an initrd elsewhere than planned fails check 5"

# flip.py: the bytes at the offsets XORed with 0x5a; an offset past the end refused
printf '\000\001\002\003' > "$tmp/flip"
python3 "$top/tests/lib/flip.py" "$tmp/flip" 1 0x3 && [ "$(od -An -tx1 "$tmp/flip" | tr -d ' ')" = 005b0259 ]
ok $? "flip.py: bytes 1 and 3 flipped: $(od -An -tx1 "$tmp/flip")"
python3 "$top/tests/lib/flip.py" "$tmp/flip" 4 > "$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q "no byte at 0x4" "$tmp/out" && [ "$(od -An -tx1 "$tmp/flip" | tr -d ' ')" = 005b0259 ]
ok $? "flip.py refuses an offset past the end: $(cat "$tmp/out")"
done_testing
