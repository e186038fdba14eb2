#!/bin/bash
# kdump end to end, x86_64, Debian's 5.10, 6.1, 6.12 and 7.3 kernels in QEMU (TCG unless
# KVM really works). Guest /init: tests/e2e-x86_64/init-crash.sh.
#
#   c-crash          boot with crashkernel=256M, write a marker into the kernel
#                    log (/dev/kmsg), kexec -c -p (ukexec's own userspace crash
#                    plan: core headers, purgatory, boot_params, kernel, initrd;
#                    kexec_load), echo c > /proc/sysrq-trigger. The crash
#                    kernel's /init checks /proc/vmcore (size, ELF64 LSB
#                    ET_CORE header) and runs our kdump/vmcore-dmesg on it: the
#                    case passes when it prints the marker line.
#   crash-oracle     byte-for-byte oracle (nokaslr, two boots with the same
#                    kernel, initramfs and a command line of the same length):
#                    boot A loads with the in-kernel loader (kexec -s -d -p),
#                    boot B with ukexec's plan and the kernel's own purgatory
#                    (kexec -c -d -p --purgatory-from=/vmlinuz --print-plan);
#                    each dumps the "Crash kernel" region over QMP pmemsave.
#                    tests/e2e-x86_64/crash-compare.py compares the segment tables and
#                    the bytes [mem, mem+memsz) of every segment; the RNG seed
#                    (setup_data type 9) and purgatory_sha256_digest (verified
#                    by recomputing it over purgatory_sha_regions in each dump)
#                    are the only differences allowed.
#
#   tests/e2e-x86_64/crash.sh [--golden] [--keep DIR] BUILD_DIR
#
# BUILD_DIR: a build of this tree; a static one is made beside it
# (BUILD_DIR-static, with kdump/vmcore-dmesg). --golden: write boot A's
# files (elfcorehdr.bin, boot_params.bin, purgatory.bin, segments.txt,
# sysroot/, inputs) into tests/golden/x86_64-debian-VER/crash/ (checked on
# the host by tests/e2e-x86_64/crash-golden.sh). --keep DIR: keep the dumps, logs
# and comparisons in DIR/VER (the 256 MiB dumps are deleted otherwise).
# Results: PASS/FAIL/SKIP lines appended to $UKEXEC_E2E_RESULTS (default
# tests/e2e-x86_64/results-crash, which is rewritten each run); console logs in
# tests/e2e-x86_64/logs/. UKEXEC_E2E_KERNELS="5.10 6.1 6.12 7.3" and UKEXEC_E2E_CASES (a
# regex on case names) choose what runs.
# Exits 1 on any FAIL.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

golden=0 keep=
while [ $# -gt 0 ]; do
	case $1 in
	--golden) golden=1; shift ;;
	--keep) keep=$2; shift 2 ;;
	-h|--help) e2e_help; exit 0 ;;
	*) break ;;
	esac
done
build=${1:-${TMPDIR:-/tmp}/ukexec-e2e}
e2e_setup_run results-crash
result() { e2e_result "$@"; }
e2e_prepare "$build" "c-crash crash-oracle" kdump/vmcore-dmesg

tmp=$(mktemp -d) || exit 1
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"' EXIT

# The crash kernel's initramfs (both cases): busybox, our /init, vmcore-dmesg
e2e_initramfs "$tmp/initrd2" init="$e2e_dir/init-crash.sh" \
	vmcore-dmesg="$static/kdump/vmcore-dmesg" || exit 1
# The initrd of the oracle loads: record.sh's deterministic 69857 bytes
# (the oracle boots never crash, so it need not be an initramfs)
initrd_cmd="python3 -c 'import random, sys; r = random.Random(6112); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(69857)))'"
eval "$initrd_cmd" > "$tmp/initrd.img" || exit 1
cmdline_p="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices ukexec.stage=crashed ukexec.marker=oracle-crash"
printf '%s' "$cmdline_p" > "$tmp/cmdline-p"

# initramfs VER: the first kernel's initramfs (the same for every boot of VER)
initramfs() {
	local ver=$1 kernel
	[ -s "$tmp/initrd1-$ver" ] && return 0
	kernel=$(e2e_kernel "$ver") || return 1
	e2e_initramfs "$tmp/initrd1-$ver" init="$e2e_dir/init-crash.sh" kexec="$static/kexec/kexec" \
		vmlinuz="$kernel" initrd2="$tmp/initrd2" initrd.img="$tmp/initrd.img" \
		cmdline-p="$tmp/cmdline-p"
}

# crash_case VER: c-crash
crash_case() {
	local ver=$1 name=x86_64-$1-c-crash kernel m1 m2 km log st vm line
	kernel=$(e2e_kernel "$ver") || { result SKIP "$name" "no $ver kernel"; return; }
	initramfs "$ver" || { result FAIL "$name" "initramfs"; return; }
	m1=$(e2e_marker first) m2=$(e2e_marker crashed) km=$(e2e_marker kmsg)
	log=$logs/$name.log
	e2e_qemu "$log" "${UKEXEC_E2E_TIMEOUT:-150}" "$kernel" "$tmp/initrd1-$ver" \
		"ukexec.stage=crash ukexec.marker=$m1 ukexec.next=$m2 ukexec.kmsg=$km crashkernel=256M"
	st=$?
	local t="${e2e_secs}s, qemu exit $st"
	vm=$(e2e_field "$log" UKEXEC-VMCORE)
	line=$(e2e_field "$log" UKEXEC-VMCORE-DMESG:)
	if ! e2e_seen "$log" "UKEXEC-FIRST $m1"; then
		result FAIL "$name" "the first kernel did not reach /init ($t, $log)"
	elif ! e2e_seen "$log" "UKEXEC-FIRSTLOAD 0 1 1" || ! e2e_seen "$log" "UKEXEC-UNLOAD 0 0 0"; then
		result FAIL "$name" "load / -S / -c -p -u / -S did not give 'loaded, 1' then 'unloaded, 0' ($t, $log:" \
			"$(tr -d '\r' <"$log" | grep -E 'UKEXEC-(FIRSTLOAD|UNLOAD)' | tr '\n' ' '))"
	elif ! e2e_seen "$log" "UKEXEC-LOADED crash 1"; then
		result FAIL "$name" "kexec -c -p did not load ($t, $log: $(tr -d '\r' <"$log" | grep -E 'UKEXEC-(FAIL|OUT)' | head -3 | tr '\n' ' '))"
	elif ! e2e_seen "$log" "UKEXEC-CRASHED $m2"; then
		result FAIL "$name" "the crash kernel did not print its marker ($t, $log)"
	elif ! [[ $vm =~ ^[1-9][0-9]*\ 7f454c460201[0-9a-f]{20}0400$ ]]; then
		result FAIL "$name" "/proc/vmcore is missing or not an ELF64 LSB core: '$vm' ($t, $log)"
	elif [[ $line != *"ukexec-kdump-kmsg: $km"* ]]; then
		result FAIL "$name" "vmcore-dmesg did not show the marker written before the crash" \
			"($(e2e_field "$log" UKEXEC-VMCORE-DMESG-EXIT); $t, $log)"
	else
		result PASS "$name" "$t, /proc/vmcore ${vm% *} bytes, vmcore-dmesg: ${line//$'\r'/}"
	fi
}

# oracle_boot VER MODE DIR: one oracle boot; DIR gets console.log, rec/ (the
# guest's files), region.bin and region.where (start size)
oracle_boot() {
	local ver=$1 mode=$2 d=$3 kernel log ready append
	kernel=$(e2e_kernel "$ver") || return 1
	mkdir -p "$d" && rm -rf "${d:?}"/*
	log=$d/console.log
	append=$(e2e_oracle_append "$ver" "$mode" crashkernel=256M)
	local t0= t1
	# boot B's console input: "crash" after the dump (the plan must also run)
	local in=/dev/null
	if [ "$mode" = c ]; then
		in=$d/in
		mkfifo "$in" && exec 6<>"$in" || return 1
	fi
	e2e_stdin=$in e2e_qemu "$log" 150 "$kernel" "$tmp/initrd1-$ver" "$append" \
		-qmp "unix:$d/qmp.sock,server=on,wait=off" -pidfile "$d/qemu.pid" &
	qpid=$!
	# the guest's time runs from the log's creation (QEMU has the lock)
	while kill -0 "$qpid" 2>/dev/null; do
		[ -z "$t0" ] && [ -f "$log" ] && t0=$(date +%s.%N)
		[ -f "$log" ] && e2e_seen "$log" UKEXEC-DUMP-READY && break
		sleep 0.2
	done
	ready=$(e2e_field "$log" UKEXEC-DUMP-READY)
	if [ -z "$ready" ] || [ "$ready" = "${ready% *}" ]; then
		e2e_log "$ver $mode: the guest did not offer a crash region ('$ready', $log)"
		python3 "$qemu_lib_dir/qmp.py" "$d/qmp.sock" quit 2>/dev/null
		wait "$qpid"; qpid=
		return 1
	fi
	local start=$((16#${ready% *})) end=$((16#${ready#* }))
	python3 "$qemu_lib_dir/qmp.py" "$d/qmp.sock" pmemsave "$start" $((end - start + 1)) "$d/region.bin"
	local st=$?
	printf '0x%x 0x%x\n' "$start" $((end - start + 1)) > "$d/region.where"
	if [ "$mode" = c ] && [ $st -eq 0 ]; then
		# the crash kernel of our plan starts (the purgatory checked the
		# digest): its boot log shows the command line with elfcorehdr=;
		# it then panics (no initramfs; its reboot does not end QEMU, we do)
		echo crash >&6
		local i
		for i in $(seq 300); do
			kill -0 "$qpid" 2>/dev/null || break
			tr -d '\r' < "$log" | awk '/^UKEXEC-CRASHING/ { c = 1 }
				c && /Command line: elfcorehdr=/ { k = 1 }
				k && /Kernel panic - not syncing/ { f = 1 } END { exit !f }' &&
				{ sleep 1; break; }
			sleep 0.2
		done
		# the panicked crash kernel keeps QEMU too busy for QMP: end it by its pid
		local qemu
		qemu=$(cat "$d/qemu.pid" 2>/dev/null)
		[ -n "$qemu" ] && kill -0 "$qpid" 2>/dev/null && kill "$qemu" 2>/dev/null
	else
		python3 "$qemu_lib_dir/qmp.py" "$d/qmp.sock" quit
	fi
	wait "$qpid"; qpid=
	[ "$mode" = c ] && exec 6>&-
	t1=$(date +%s.%N); t0=${t0:-$t1}
	oracle_secs="$oracle_secs $mode:$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")s"
	[ $st -eq 0 ] || { e2e_log "$ver $mode: pmemsave failed"; return 1; }
	mkdir -p "$d/rec"
	e2e_between "$log" UKEXEC-TAR-BEGIN UKEXEC-TAR-END | sed -n 's/^UKEXEC-B64://p' |
		base64 -d | tar -xz -C "$d/rec" || { e2e_log "$ver $mode: cannot decode the guest's files"; return 1; }
	grep -qx "exit 0" "$d/rec/tool.log" && grep -qx "kexec_crash_loaded 1" "$d/rec/tool.log" ||
		{ e2e_log "$ver $mode: the load failed: $(tail -3 "$d/rec/tool.log" | tr '\n' ' ')"; return 1; }
}

# oracle_case VER: crash-oracle
oracle_case() {
	local ver=$1 name=x86_64-$1-crash-oracle kernel w g st
	kernel=$(e2e_kernel "$ver") || { result SKIP "$name" "no $ver kernel"; return; }
	initramfs "$ver" || { result FAIL "$name" "initramfs"; return; }
	w=$(e2e_work_dir "$ver")
	oracle_secs=
	if ! oracle_boot "$ver" s "$w/A"; then
		cp "$w/A/console.log" "$logs/$name-A.log" 2>/dev/null
		result FAIL "$name" "boot A (kexec -s -p) failed ($logs/$name-A.log)"
		return
	fi
	if ! oracle_boot "$ver" c "$w/B"; then
		cp "$w/B/console.log" "$logs/$name-B.log" 2>/dev/null
		result FAIL "$name" "boot B (kexec -c -p --purgatory-from) failed ($logs/$name-B.log)"
		rm -f "$w"/*/region.bin
		return
	fi
	cp "$w/A/console.log" "$logs/$name-A.log"
	cp "$w/B/console.log" "$logs/$name-B.log"
	local ran="the crash kernel of plan B did not start"
	# grep reads to the end: an early exit (-q) would kill sed with SIGPIPE
	# and pipefail turn the match into a failure when much follows it
	if tr -d '\r' < "$w/B/console.log" | sed -n '/^UKEXEC-CRASHING/,$p' |
		grep -aE "Command line: elfcorehdr=0x[0-9a-f]+ $cmdline_p" >/dev/null; then
		ran="plan B's crash kernel started"
	fi
	g=
	if [ $golden = 1 ]; then
		g=$e2e_top/tests/golden/x86_64-debian-$ver/crash
		rm -rf "$g.new" && mkdir -p "$g.new"
	fi
	python3 "$e2e_dir/crash-compare.py" --ver "$ver" ${g:+--golden "$g.new"} "$w/A" "$w/B" \
		> "$w/compare.txt" 2>&1
	st=$?
	cp "$w/compare.txt" "$logs/$name.compare.txt"
	sed 's/^/  /' "$w/compare.txt"
	if [ -n "$g" ]; then
		if [ $st -eq 0 ] || [ $st -eq 1 ]; then
			write_golden_inputs "$ver" "$kernel" "$w" > "$g.new/inputs"
			write_golden_readme "$ver" > "$g.new/README"
			rm -rf "$g" && mv "$g.new" "$g" && e2e_log "$ver: golden files written to $g"
		else
			e2e_log "$ver: no golden files written (compare exit $st)"
			rm -rf "$g.new"
		fi
	fi
	[ -n "$keep" ] || rm -f "$w"/*/region.bin
	local sum
	sum=$(sed -n 's/^SUMMARY //p' "$w/compare.txt")
	case $st in
	0) if [[ $ran == *"did not"* ]]; then
		result FAIL "$name" "${sum:-?}; but $ran ($logs/$name-B.log)"
	   else
		result PASS "$name" "${sum:-?}; $ran; boots${oracle_secs}"
	   fi ;;
	1) result FAIL "$name" "unexpected differences: ${sum:-?}; see $logs/$name.compare.txt" ;;
	*) result FAIL "$name" "crash-compare.py exit $st: $(tail -2 "$w/compare.txt" | tr '\n' ' ')" ;;
	esac
}

write_golden_readme() {	# VER
	cat <<EOF
# x86_64, Debian $1 kernel, QEMU 1 GiB BIOS guest: the kernel's own kdump plan

Written by tests/e2e-x86_64/crash.sh --golden (boot A of its crash-oracle case);
checked on the host by tests/e2e-x86_64/crash-golden.sh.

The guest: qemu-system-x86_64 (TCG, -cpu max), -m 1G -smp 1, SeaBIOS, booted
with "crashkernel=256M nokaslr" (see inputs: boot-cmdline). Its /init
(tests/e2e-x86_64/init-crash.sh, stage oracle, mode s) recorded sysroot/ and then
loaded the crash kernel with the in-kernel loader:
  kexec -s -d -p /vmlinuz --initrd=/initrd.img --append="<cmdline-p>"
/vmlinuz is the booted kernel itself; the initrd is regenerated bit for bit by
the initrd-command of inputs. The host then dumped the "Crash kernel" region
over QMP pmemsave; the files below are cut from that dump.

- segments.txt: the kernel's segment table (dmesg; "segment name mem memsz
  bufsz"), its entry point (6.12 logs it), the bytes that differ between two
  loads by design ("mask": the RNG seed, setup_data type 9, in boot_params;
  purgatory_sha256_digest in the purgatory, which covers the seed), where
  purgatory_sha_regions is and which segments it hashes.
- elfcorehdr.bin, boot_params.bin, purgatory.bin: those segments' bufsz bytes
  as the kernel put them in memory (the ELF core headers; boot_params +
  command line + setup_data; the relocated purgatory).
- sysroot/: the system view the plan is computed from, read as root before
  the load, at real paths: proc/iomem, proc/kcore (its first 64 KiB: the ELF
  and program headers; its notes describe the reading task and change from
  boot to boot), sys/devices/system/cpu/cpu*/crash_notes{,_size},
  sys/kernel/vmcoreinfo, sys/kernel/kexec_crash_size, sys/firmware/memmap,
  sys/kernel/boot_params, proc/cmdline, proc/sys/kernel/osrelease, CPU lists.
- kernel-plan.log: dmesg of the load; tool.log: what kexec -s printed;
  crash-region: the "Crash kernel" line of /proc/iomem; notes: dynamic debug
  (6.1 has no KEXEC_FILE_DEBUG).
- inputs: kernel package, vmlinuz sha256, initrd command and sha256, the
  exact command lines, QEMU.

Check: kexec --dry-run -c -p --sysroot=crash/sysroot --purgatory-from=VMLINUZ
VMLINUZ --initrd=INITRD --append="<cmdline-p>" --dump-plan=DIR, then DIR's
segment files against the .bin files, masks applied (tests/e2e-x86_64/crash-golden.sh).
EOF
}

write_golden_inputs() {	# VER KERNEL WORKDIR
	echo "# tests/e2e-x86_64/crash.sh --golden: boot A (the in-kernel loader) of the kdump oracle"
	echo "package $(cat "$e2e_cache/$1/package")"
	echo "vmlinuz $(basename "$2")"
	echo "vmlinuz-sha256 $(sha256sum < "$2" | cut -d' ' -f1)"
	echo "vmlinuz-size $(stat -c %s "$2")"
	echo "initrd initrd.img"
	echo "initrd-sha256 $(sha256sum < "$tmp/initrd.img" | cut -d' ' -f1)"
	echo "initrd-size $(stat -c %s "$tmp/initrd.img")"
	echo "initrd-command $initrd_cmd"
	echo "cmdline-p $cmdline_p"
	echo "load kexec -s -d -p /vmlinuz --initrd=/initrd.img --append=\"<cmdline-p>\""
	echo "boot-cmdline $(cat "$3/A/rec/sysroot/proc/cmdline")"
	echo "crash-region $(cat "$3/A/region.where")"
	echo "qemu $(qemu-system-x86_64 --version | head -n1) ${e2e_accel[*]} -m 1G -smp 1 -nographic -no-reboot (BIOS: SeaBIOS)"
	echo "ukexec $(git -C "$e2e_top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

case_re=${UKEXEC_E2E_CASES:-.}
for v in $kernels; do
	[[ c-crash =~ $case_re ]] && crash_case "$v"
	[[ crash-oracle =~ $case_re ]] && oracle_case "$v"
done
echo "e2e crash: $e2e_nfail failed in $((SECONDS - t_all)) s (${e2e_accel[*]:-no guest})"
[ $e2e_nfail -eq 0 ]
