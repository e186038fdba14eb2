#!/bin/bash
# Record the machines: boot Debian's 6.1 and 6.12 amd64 kernels in QEMU (TCG,
# 1 GiB, BIOS, crashkernel=256M, nokaslr) and have /init (tests/e2e/init.sh,
# stage "record") copy out, through the serial console:
#   sysroot/             /proc and /sys files of the system view, at their real
#                        paths (iomem as root, firmware memmap, boot_params,
#                        crash size and notes, vmcoreinfo, possible CPUs)
#   kernel-plan-l.log    dmesg of the in-kernel loader's normal load:
#                        kexec -s -d -l KERNEL --initrd=initrd.img --append=CMDLINE_L
#   kernel-plan-p.log    dmesg of its crash load (after kexec -s -u):
#                        kexec -s -d -p KERNEL --initrd=initrd.img --append=CMDLINE_P
#   tool-l.log, tool-p.log  what our tool said; notes; boot-dmesg.log; crash-region
# KERNEL is the booted vmlinuz itself; initrd.img a deterministic file (below).
# 6.1 does not know KEXEC_FILE_DEBUG: its pr_debug()s are enabled through
# dynamic debug instead. Then writes inputs and README.
#
#   tests/e2e/record.sh [--out DIR] [--dump DIR] [--static BUILD] [VER...]
#
# VER: 6.1, 6.12 (default both). Output: tests/golden/x86_64-debian-VER/,
# or DIR/VER with --out. --dump DIR: also keep the guest running after the
# crash load and save the "Crash kernel" region over QMP pmemsave into
# DIR/VER/crash-region.bin (with the recording of that boot beside it, in
# DIR/VER, unless --out says otherwise: the region moves with the
# initramfs size, so a dump belongs with its own sysroot).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out_base= dump_base= static=
vers=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out_base=$2; shift 2 ;;
	--dump) dump_base=$2; shift 2 ;;
	--static) static=$2; shift 2 ;;
	-h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) vers+=("$1"); shift ;;
	esac
done
[ ${#vers[@]} -gt 0 ] || vers=(6.1 6.12)
[ -z "$dump_base" ] || { mkdir -p "$dump_base" && dump_base=$(cd "$dump_base" && pwd); } || exit 1
[ -z "$out_base" ] || { mkdir -p "$out_base" && out_base=$(cd "$out_base" && pwd); } || exit 1

cmdline_l="console=ttyS0 ukexec.marker=golden"
cmdline_p="console=ttyS0 irqpoll nr_cpus=1 reset_devices ukexec.marker=golden-crash"
# The initrd handed to the loaders: 69857 pseudo-random bytes (an odd size,
# ~64 KiB), regenerated bit for bit by this command.
initrd_cmd="python3 -c 'import random, sys; r = random.Random(6112); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(69857)))'"

e2e_inputs || { e2e_log "scripts/fetch-kernels failed"; exit 1; }
build=$(e2e_static_build "${static:-${TMPDIR:-/tmp}/ukexec-e2e-static}") || exit 1
e2e_qemu_accel
tmp=$(mktemp -d) || exit 1
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"' EXIT
eval "$initrd_cmd" > "$tmp/initrd.img" || exit 1

record_one() {
	local ver=$1 kernel out log m t0 st
	kernel=$(e2e_kernel "$ver") || { e2e_log "no $ver kernel in $e2e_cache"; return 1; }
	if [ -n "$out_base" ]; then out=$out_base/$ver
	elif [ -n "$dump_base" ]; then out=$dump_base/$ver
	else out=$e2e_top/tests/golden/x86_64-debian-$ver
	fi
	mkdir -p "$out" || return 1
	local w=$tmp/$ver
	mkdir -p "$w"
	printf '%s' "$cmdline_l" > "$w/cmdline-l"
	printf '%s' "$cmdline_p" > "$w/cmdline-p"
	e2e_initramfs "$w/initramfs" kexec="$build/kexec/kexec" vmlinuz="$kernel" \
		initrd.img="$tmp/initrd.img" cmdline-l="$w/cmdline-l" cmdline-p="$w/cmdline-p" || return 1
	m=record-$ver	# fixed: the recorded cmdline stays the same across reruns
	local append="ukexec.stage=record ukexec.marker=$m crashkernel=256M nokaslr"
	[ "$ver" = 6.1 ] && append="$append ukexec.dyndbg=1"
	log=$w/console.log
	t0=$SECONDS
	# The guest waits after the recording; the host dumps the crash region
	# (--dump) and ends it over QMP either way, so a dump boot is the same
	# boot as a plain recording.
	e2e_qemu "$log" 300 "$kernel" "$w/initramfs" "$append" \
		-qmp "unix:$w/qmp.sock,server=on,wait=off" &
	qpid=$!
	local ready=
	while kill -0 "$qpid" 2>/dev/null; do
		[ -f "$log" ] && e2e_seen "$log" UKEXEC-DUMP-READY && break
		sleep 0.5
	done
	ready=$(e2e_field "$log" UKEXEC-DUMP-READY)
	if ! e2e_seen "$log" UKEXEC-DUMP-READY; then
		e2e_log "$ver: the guest never finished the recording (log: $out/console-failed.log)"
		cp "$log" "$out/console-failed.log"
		wait "$qpid"; qpid=
		return 1
	fi
	if [ -n "$dump_base" ] && [ "$ready" = "${ready% *}" ]; then
		e2e_log "$ver: no crash region to dump"
		python3 "$e2e_dir/qmp.py" "$w/qmp.sock" quit
		wait "$qpid"; qpid=
		return 1
	elif [ -n "$dump_base" ]; then
		local start=$((16#${ready% *})) end=$((16#${ready#* }))
		rm -f "$out/crash-region.bin"
		python3 "$e2e_dir/qmp.py" "$w/qmp.sock" pmemsave "$start" $((end - start + 1)) \
			"$out/crash-region.bin" || { e2e_log "$ver: pmemsave failed"; return 1; }
		printf '0x%x 0x%x\n' "$start" $((end - start + 1)) > "$out/crash-region.bin.where"
		e2e_log "$ver: dumped the crash region [0x$(printf %x $start), 0x$(printf %x $end)] to $out/crash-region.bin"
	fi
	python3 "$e2e_dir/qmp.py" "$w/qmp.sock" quit
	wait "$qpid"; qpid=
	e2e_log "$ver: guest ran $((SECONDS - t0)) s"
	if ! e2e_seen "$log" UKEXEC-TAR-END; then
		e2e_log "$ver: no recording on the console (log kept: $out/console-failed.log)"
		cp "$log" "$out/console-failed.log"
		return 1
	fi
	rm -rf "$w/rec" && mkdir -p "$w/rec"
	e2e_between "$log" UKEXEC-TAR-BEGIN UKEXEC-TAR-END | sed -n 's/^UKEXEC-B64://p' |
		base64 -d | tar -xz -C "$w/rec" || { e2e_log "$ver: cannot decode the recording"; return 1; }

	# checks: the guest saw our inputs, both loads worked, the kernel said something
	local ks is gks gis
	ks=$(sha256sum < "$kernel" | cut -d' ' -f1)
	is=$(sha256sum < "$tmp/initrd.img" | cut -d' ' -f1)
	gks=$(awk '$2 == "/vmlinuz" { print $1 }' "$w/rec/guest-sha256")
	gis=$(awk '$2 == "/initrd.img" { print $1 }' "$w/rec/guest-sha256")
	local bad=
	[ "$ks" = "$gks" ] && [ "$is" = "$gis" ] || bad="$bad guest-inputs"
	grep -qx "exit 0" "$w/rec/tool-l.log" || bad="$bad load-l"
	grep -qx "kexec_loaded 1" "$w/rec/tool-l.log" || bad="$bad loaded-l"
	grep -q "^unload exit 0 kexec_loaded 0" "$w/rec/tool-l.log" || bad="$bad unload"
	grep -qx "exit 0" "$w/rec/tool-p.log" || bad="$bad load-p"
	grep -qx "kexec_crash_loaded 1" "$w/rec/tool-p.log" || bad="$bad loaded-p"
	grep -q "segment" "$w/rec/kernel-plan-l.log" || bad="$bad plan-l"
	grep -q "segment" "$w/rec/kernel-plan-p.log" || bad="$bad plan-p"
	grep -q "Crash kernel" "$w/rec/sysroot/proc/iomem" || bad="$bad crash-region"
	[ -s "$w/rec/sysroot/sys/kernel/boot_params/data" ] || bad="$bad boot_params"
	if [ -n "$bad" ]; then
		e2e_log "$ver: recording incomplete:$bad (kept in $out/failed)"
		rm -rf "$out/failed" && cp -a "$w/rec" "$out/failed" && cp "$log" "$out/failed/console.log"
		return 1
	fi

	rm -rf "$out/sysroot" "$out/failed" "$out/console-failed.log"
	cp -a "$w/rec/." "$out/"
	rm -f "$out/guest-sha256"
	cp "$tmp/initrd.img" "$out/initrd.img"
	{
		echo "# tests/e2e/record.sh: what the recorded guest booted and loaded"
		echo "package $(cat "$e2e_cache/$ver/package")"
		echo "vmlinuz $(basename "$kernel")"
		echo "vmlinuz-sha256 $ks"
		echo "vmlinuz-size $(stat -c %s "$kernel")"
		echo "initrd initrd.img"
		echo "initrd-sha256 $is"
		echo "initrd-size $(stat -c %s "$tmp/initrd.img")"
		echo "initrd-command $initrd_cmd"
		echo "cmdline-l $cmdline_l"
		echo "cmdline-p $cmdline_p"
		echo "boot-cmdline $(cat "$out/sysroot/proc/cmdline")"
		echo "qemu $(qemu-system-x86_64 --version | head -n1) ${e2e_accel[*]} -m 1G -smp 1 -nographic -no-reboot (BIOS: SeaBIOS)"
		echo "ukexec $(git -C "$e2e_top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
		echo "kexec-file-debug $([ "$ver" = 6.1 ] && echo "dynamic debug (6.1 has no KEXEC_FILE_DEBUG)" || echo "KEXEC_FILE_DEBUG via kexec -s -d")"
	} > "$out/inputs"
	write_readme "$ver" > "$out/README"
	e2e_log "$ver: recorded into $out ($(grep -c 'segment' "$out/kernel-plan-l.log") + $(grep -c 'segment' "$out/kernel-plan-p.log") segment lines)"
}

write_readme() {
	cat <<EOF
# x86_64, Debian $1 kernel, QEMU 1 GiB BIOS guest: a recorded machine

Recorded by tests/e2e/record.sh $1 (rerun it to refresh; the kernel comes from
scripts/fetch-kernels, pinned to the package named in inputs).

The guest: qemu-system-x86_64 (TCG, -cpu max), -m 1G -smp 1, SeaBIOS (no EFI),
booted with "crashkernel=256M nokaslr" (nokaslr: so a rerun records the same
addresses). Its /init (tests/e2e/init.sh, stage "record") copied the files
below out through the serial console (tar | gzip | base64).

- sysroot/: the system view at real paths, read as root before any load:
  proc/iomem, proc/cmdline, proc/sys/kernel/osrelease, proc/version,
  sys/firmware/memmap/*/{start,end,type}, sys/kernel/boot_params/{data,version}
  (and setup_data/* when present), sys/kernel/kexec_crash_size,
  sys/kernel/vmcoreinfo, sys/devices/system/cpu/{possible,present,online},
  sys/devices/system/cpu/cpu*/crash_notes{,_size}. There is no
  sys/firmware/efi (see notes). Use with kexec --sysroot=.../sysroot.
- kernel-plan-l.log: dmesg of the in-kernel kexec_file_load of
  kexec -s -d -l /vmlinuz --initrd=/initrd.img --append="<cmdline-l>"
  where /vmlinuz is the booted kernel itself (see inputs for its sha256).
- kernel-plan-p.log: dmesg of kexec -s -d -p with <cmdline-p>, after
  kexec -s -u, in the same boot.
- tool-l.log, tool-p.log: what ukexec (-s: pass-through) printed, its exit
  status and kexec_loaded / kexec_crash_loaded afterwards.
- boot-dmesg.log: the whole boot log (crashkernel reservation, E820).
- crash-region: the "Crash kernel" line(s) of /proc/iomem.
- notes: whether sys/firmware/efi exists, which dynamic-debug queries took.
- initrd.img: the initrd given to both loads; inputs has the command that
  regenerates it bit for bit, and its sha256.
- inputs: kernel package and version, vmlinuz sha256, the exact cmdlines.

The crash region's bytes after the in-kernel crash load are not in git (256
MiB): tests/e2e/record.sh --dump DIR $1 records a fresh boot into DIR/$1 and
saves the region there (crash-region.bin, crash-region.bin.where: start size).
EOF
}

rc=0
for v in "${vers[@]}"; do
	record_one "$v" || rc=1
done
exit $rc
