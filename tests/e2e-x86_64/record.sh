#!/bin/bash
# Record the x86_64 machines: boot Debian's 6.1 or 6.12 amd64 kernel in QEMU
# (TCG, "nokaslr": a rerun records the same addresses) and have /init
# (tests/e2e-x86_64/init.sh, stage "record") copy out, through the serial console:
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
#   tests/e2e-x86_64/record.sh [KIND] [--out DIR] [--dump DIR] [--keep-region] [--static BUILD] [VER...]
#
# KIND, the machine:
#   bios  (default) 1 GiB, SeaBIOS, crashkernel=256M. VER: 6.1, 6.12 (default
#         both). Output: tests/golden/x86_64-debian-VER/.
#   efi   1 GiB, QEMU's direct kernel boot under OVMF (Debian's ovmf package:
#         OVMF_CODE.fd read-only pflash + a scratch copy of OVMF_VARS.fd),
#         crashkernel=256M efi=debug; /init also copies the EFI system view
#         (/sys/firmware/efi/{fw_vendor,config_table,runtime,systab,
#         fw_platform_size}, runtime-map/*/*, the head of /proc/kcore).
#         VER: 6.12 (default) or 6.1. Output: tests/golden/x86_64-debian-VER-efi/.
#   high  5 GiB, SeaBIOS, "crashkernel=256M,high crashkernel=128M,low": the
#         crash region (crashk_res) above 4 GiB and a low one (crashk_low_res)
#         below, two "Crash kernel" lines; /init also prints both regions and
#         copies the head of /proc/kcore. VER: 6.12 (default) or 6.1.
#         Output: tests/golden/x86_64-debian-VER-high/.
# For efi and high the host then reads the crash load's segment table from
# kernel-plan-p.log, checks that every segment lies in the crash region
# (high: the high one), saves over QMP pmemsave the segments it keeps and
# writes (tests/e2e-x86_64/record-decode.py):
#   boot_params-p.bin   the boot_params segment (bufsz bytes): boot_params,
#                       command line, (efi) EFI runtime memory map, setup_data
#   elfcorehdr-p.bin    segment 0 (bufsz bytes)
#   purgatory-p.bin     the purgatory segment (bufsz bytes)
#   segments-p.txt      the segment table and entry, from kernel-plan-p.log
#   boot_params-p.txt   a decoding of boot_params-p.bin (efi_info, E820,
#                       setup_data)
#   elfcorehdr-p.txt    (high) a decoding of elfcorehdr-p.bin (PT_NOTE, PT_LOAD)
#   crash-regions       (high) both regions: "low|high START END" (inclusive)
#   crash-region.where  the crash region: start size; console.log
# and the initrd handed to the loads is the bios recording's
# (tests/golden/x86_64-debian-VER/initrd.img), bit for bit.
#
# --out DIR: output into DIR/VER instead. --keep-region: also save the whole
# crash region (crash-region.bin, 256 MiB; not for git). --dump DIR: the same
# boot recorded into DIR/VER (unless --out says otherwise: the region moves
# with the initramfs size, so a dump belongs with its own sysroot) with
# --keep-region; for bios also crash-region.bin.where (start size).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kind=bios out_base= dump_base= static= keep_region=
vers=()
case ${1:-} in bios|efi|high) kind=$1; shift ;; esac
while [ $# -gt 0 ]; do
	case $1 in
	--out) out_base=$2; shift 2 ;;
	--dump) dump_base=$2; keep_region=1; shift 2 ;;
	--static) static=$2; shift 2 ;;
	--keep-region) keep_region=1; shift ;;
	-h|--help) e2e_help; exit 0 ;;
	*) vers+=("$1"); shift ;;
	esac
done
[ -z "$dump_base" ] || { mkdir -p "$dump_base" && dump_base=$(cd "$dump_base" && pwd); } || exit 1
[ -z "$out_base" ] || { mkdir -p "$out_base" && out_base=$(cd "$out_base" && pwd); } || exit 1

# The machine kinds: memory, crashkernel=, more boot arguments, more QEMU
# arguments, guest timeout, the golden directory's suffix, default VERs.
qemu_args=()
case $kind in
bios)	mem=1G crashkernel="crashkernel=256M" boot_extra= timeout=300 suffix=
	[ ${#vers[@]} -gt 0 ] || vers=(6.1 6.12) ;;
efi)	mem=1G crashkernel="crashkernel=256M" boot_extra=" efi=debug" timeout=400 suffix=-efi
	ovmf_code=/usr/share/OVMF/OVMF_CODE.fd
	ovmf_vars=/usr/share/OVMF/OVMF_VARS.fd
	if [ ! -s "$ovmf_code" ] || [ ! -s "$ovmf_vars" ]; then
		e2e_log "no OVMF ($ovmf_code, $ovmf_vars): apt-get install ovmf"
		exit 77
	fi
	[ ${#vers[@]} -gt 0 ] || vers=(6.12) ;;
high)	mem=5G crashkernel="crashkernel=256M,high crashkernel=128M,low" boot_extra= timeout=400 suffix=-high
	[ ${#vers[@]} -gt 0 ] || vers=(6.12) ;;
esac

cmdline_l="console=ttyS0 ukexec.marker=golden"
cmdline_p="console=ttyS0 irqpoll nr_cpus=1 reset_devices ukexec.marker=golden-crash"
# The initrd handed to the loaders: 69857 pseudo-random bytes (an odd size,
# ~64 KiB), regenerated bit for bit by this command.
initrd_cmd="python3 -c 'import random, sys; r = random.Random(6112); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(69857)))'"
decode=$e2e_dir/record-decode.py

e2e_inputs || { e2e_log "scripts/fetch-kernels failed"; exit 1; }
build=$(e2e_static_build "${static:-${TMPDIR:-/tmp}/ukexec-e2e-static}") || exit 1
e2e_qemu_accel
tmp=$(mktemp -d) || exit 1
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"' EXIT
eval "$initrd_cmd" > "$tmp/initrd.img" || exit 1

# guest_quit W: end the waiting guest over QMP and reap it
guest_quit() {
	python3 "$qemu_lib_dir/qmp.py" "$1/qmp.sock" quit 2>/dev/null
	wait "$qpid"; qpid=
}

# keep_failed W OUT LOG: the incomplete recording into OUT/failed
keep_failed() {
	rm -rf "$2/failed" && cp -a "$1/rec" "$2/failed" && cp "$3" "$2/failed/console.log"
}

# save_segments W: segments-p.txt (and crash-regions) into W/rec, the
# kept segments over QMP into W/*-p.bin, the crash region into W/region
save_segments() {
	local w=$1 dumps name smem sbuf rs re
	dumps=$(python3 "$decode" plan "$kind" "$w/rec/kernel-plan-p.log" "$w/rec/crash-region" "$w/rec") ||
		return 1
	read -r _ rs re <<< "$(sed -n 1p <<< "$dumps")"
	echo "$rs $re" > "$w/region"
	while read -r name smem sbuf; do
		python3 "$qemu_lib_dir/qmp.py" "$w/qmp.sock" pmemsave "$smem" "$sbuf" "$w/$name-p.bin" ||
			{ e2e_log "pmemsave $name failed"; return 1; }
	done < <(sed 1d <<< "$dumps")
}

# check_recording W KERNEL INITRD: the names of what is missing, if anything
check_recording() {
	local w=$1 ks is gks gis bad=
	ks=$(sha256sum < "$2" | cut -d' ' -f1)
	is=$(sha256sum < "$3" | cut -d' ' -f1)
	gks=$(awk '$2 == "/vmlinuz" { print $1 }' "$w/rec/guest-sha256")
	gis=$(awk '$2 == "/initrd.img" { print $1 }' "$w/rec/guest-sha256")
	[ "$ks" = "$gks" ] && [ "$is" = "$gis" ] || bad="$bad guest-inputs"
	case $kind in
	bios) grep -q "Crash kernel" "$w/rec/sysroot/proc/iomem" || bad="$bad crash-region" ;;
	efi) grep -q "sys/firmware/efi: present" "$w/rec/notes" || bad="$bad no-efi"
		[ -s "$w/rec/sysroot/sys/firmware/efi/systab" ] || bad="$bad efi-systab" ;;
	high) [ "$(grep -c 'Crash kernel' "$w/rec/sysroot/proc/iomem")" = 2 ] || bad="$bad two-regions" ;;
	esac
	grep -qx "exit 0" "$w/rec/tool-l.log" || bad="$bad load-l"
	grep -qx "kexec_loaded 1" "$w/rec/tool-l.log" || bad="$bad loaded-l"
	grep -q "^unload exit 0 kexec_loaded 0" "$w/rec/tool-l.log" || bad="$bad unload"
	grep -qx "exit 0" "$w/rec/tool-p.log" || bad="$bad load-p"
	grep -qx "kexec_crash_loaded 1" "$w/rec/tool-p.log" || bad="$bad loaded-p"
	grep -q "segment" "$w/rec/kernel-plan-l.log" || bad="$bad plan-l"
	grep -q "segment" "$w/rec/kernel-plan-p.log" || bad="$bad plan-p"
	[ -s "$w/rec/sysroot/sys/kernel/boot_params/data" ] || bad="$bad boot_params"
	echo "$bad"
}

# decode_segments OUT: boot_params-p.txt (and elfcorehdr-p.txt)
decode_segments() {
	local out=$1 base lo hi
	base=$(awk '$3 == "boot_params" { print $4 }' "$out/segments-p.txt")
	if [ "$kind" = efi ]; then
		python3 "$decode" boot-params-efi "$out/boot_params-p.bin" "$base" > "$out/boot_params-p.txt" 2>&1 ||
			e2e_log "decoding boot_params-p.bin failed (see boot_params-p.txt)"
		return 0
	fi
	lo=$(awk '$1 == "low" { print $2 ":" $3 }' "$out/crash-regions")
	hi=$(awk '$1 == "high" { print $2 ":" $3 }' "$out/crash-regions")
	python3 "$decode" boot-params-high "$out/boot_params-p.bin" "$base" "$lo" "$hi" > "$out/boot_params-p.txt" 2>&1 ||
		e2e_log "decoding boot_params-p.bin failed (see boot_params-p.txt)"
	python3 "$decode" elfcorehdr "$out/elfcorehdr-p.bin" "$lo" "$hi" > "$out/elfcorehdr-p.txt" 2>&1 ||
		e2e_log "decoding elfcorehdr-p.bin failed (see elfcorehdr-p.txt)"
}

# write_inputs VER KERNEL INITRD OUT: what the guest booted and loaded
write_inputs() {
	local ver=$1 kernel=$2 initrd=$3 out=$4
	case $kind in
	bios) echo "# tests/e2e-x86_64/record.sh: what the recorded guest booted and loaded" ;;
	efi) echo "# tests/e2e-x86_64/record.sh efi: what the recorded EFI guest booted and loaded" ;;
	high) echo "# tests/e2e-x86_64/record.sh high: what the recorded crashkernel=,high guest booted and loaded" ;;
	esac
	echo "package $(cat "$e2e_cache/$ver/package")"
	echo "vmlinuz $(basename "$kernel")"
	echo "vmlinuz-sha256 $(sha256sum < "$kernel" | cut -d' ' -f1)"
	echo "vmlinuz-size $(stat -c %s "$kernel")"
	if [ "$kind" = bios ]; then
		echo "initrd initrd.img"
	else
		echo "initrd initrd.img (= tests/golden/x86_64-debian-$ver/initrd.img)"
	fi
	echo "initrd-sha256 $(sha256sum < "$initrd" | cut -d' ' -f1)"
	echo "initrd-size $(stat -c %s "$initrd")"
	[ "$kind" = bios ] && echo "initrd-command $initrd_cmd"
	echo "cmdline-l $cmdline_l"
	echo "cmdline-p $cmdline_p"
	echo "boot-cmdline $(cat "$out/sysroot/proc/cmdline")"
	local qemu="qemu $(qemu-system-x86_64 --version | head -n1) ${e2e_accel[*]} -m $mem -smp 1 -nographic -no-reboot"
	case $kind in
	bios) echo "$qemu (BIOS: SeaBIOS)" ;;
	efi) echo "$qemu"
		echo "firmware ovmf $(dpkg-query -W -f '${Version}' ovmf 2>/dev/null): pflash unit 0 $ovmf_code (read-only, sha256 $(sha256sum < "$ovmf_code" | cut -d' ' -f1)), unit 1 a fresh copy of $ovmf_vars"
		echo "crash-region $(cat "$out/crash-region.where") (start size)" ;;
	high) echo "$qemu (BIOS: SeaBIOS)"
		echo "crash-region $(cat "$out/crash-region.where") (start size: the high region, crashk_res)"
		echo "crash-region-low $(read -r _ ls le < <(grep '^low ' "$out/crash-regions"); printf '0x%x 0x%x' $((ls)) $((le - ls + 1))) (start size: crashk_low_res)"
		echo "guest-seconds $tready (host side, QEMU start to the end of the console transfer; /init's record stage at ~$tb s; the guest's own clock: $(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process$/\1 s/p' "$out/boot-dmesg.log") to /init)" ;;
	esac
	echo "ukexec $(git -C "$e2e_top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "kexec-file-debug $(e2e_dyndbg "$ver" && echo "dynamic debug ($ver has no KEXEC_FILE_DEBUG)" || echo "KEXEC_FILE_DEBUG via kexec -s -d")"
}

record_one() {
	local ver=$1 kernel out log t0 w initrd
	kernel=$(e2e_kernel "$ver") || { e2e_log "no $ver kernel in $e2e_cache"; return 1; }
	initrd=$tmp/initrd.img
	if [ "$kind" != bios ]; then
		initrd=$e2e_top/tests/golden/x86_64-debian-$ver/initrd.img
		[ -s "$initrd" ] || { e2e_log "no $initrd (record the BIOS machine first)"; return 1; }
	fi
	if [ -n "$out_base" ]; then out=$out_base/$ver
	elif [ -n "$dump_base" ]; then out=$dump_base/$ver
	else out=$e2e_top/tests/golden/x86_64-debian-$ver$suffix
	fi
	mkdir -p "$out" || return 1
	w=$tmp/$ver
	mkdir -p "$w"
	printf '%s' "$cmdline_l" > "$w/cmdline-l"
	printf '%s' "$cmdline_p" > "$w/cmdline-p"
	e2e_initramfs "$w/initramfs" kexec="$build/kexec/kexec" vmlinuz="$kernel" \
		initrd.img="$initrd" cmdline-l="$w/cmdline-l" cmdline-p="$w/cmdline-p" || return 1
	# the marker is fixed (the recorded cmdline stays the same across
	# reruns) and tells /init the kind
	local append="ukexec.stage=record ukexec.marker=record-$ver$suffix $crashkernel nokaslr$boot_extra"
	! e2e_dyndbg "$ver" || append="$append ukexec.dyndbg=1"
	qemu_args=(-m "$mem")	# after lib.sh's -m 1G: QEMU keeps the last -m
	if [ "$kind" = efi ]; then
		cp "$ovmf_vars" "$w/OVMF_VARS.fd" || return 1
		qemu_args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code"
			-drive "if=pflash,format=raw,unit=1,file=$w/OVMF_VARS.fd")
	fi
	log=$w/console.log
	rm -f "$log"
	t0=$SECONDS
	# The guest waits after the recording; the host saves what it keeps of
	# the crash load over QMP and ends it.
	e2e_qemu "$log" "$timeout" "$kernel" "$w/initramfs" "$append" "${qemu_args[@]}" \
		-qmp "unix:$w/qmp.sock,server=on,wait=off" &
	qpid=$!
	# times count from QEMU's start (the log appears once e2e_qemu holds the lock)
	tb= tready=
	local tq=
	while kill -0 "$qpid" 2>/dev/null; do
		if [ -z "$tq" ] && [ -f "$log" ]; then
			tq=$SECONDS; [ $((tq - t0)) -gt 1 ] && e2e_log "$ver: waited $((tq - t0)) s for the QEMU lock"
			t0=$tq
		fi
		if [ -z "$tb" ] && [ -f "$log" ] && e2e_seen "$log" UKEXEC-RECORD; then
			tb=$((SECONDS - t0)); e2e_log "$ver: guest /init record stage after ~$tb s"
		fi
		[ -f "$log" ] && e2e_seen "$log" UKEXEC-DUMP-READY && break
		sleep 0.5
	done
	if ! [ -f "$log" ] || ! e2e_seen "$log" UKEXEC-DUMP-READY || ! e2e_seen "$log" UKEXEC-TAR-END; then
		e2e_log "$ver: the guest never finished the recording (log: $out/console-failed.log)"
		[ -f "$log" ] && cp "$log" "$out/console-failed.log"
		guest_quit "$w"
		return 1
	fi
	tready=$((SECONDS - t0))
	rm -rf "$w/rec" && mkdir -p "$w/rec"
	e2e_between "$log" UKEXEC-TAR-BEGIN UKEXEC-TAR-END | sed -n 's/^UKEXEC-B64://p' |
		base64 -d | tar -xz -C "$w/rec" || { e2e_log "$ver: cannot decode the recording"; guest_quit "$w"; return 1; }

	# what is kept of the crash load, while the guest still waits
	local rs re
	if [ "$kind" = bios ]; then
		read -r rs re <<< "$(e2e_field "$log" UKEXEC-DUMP-READY)"
		[ -n "$rs" ] && [ -n "$re" ] && echo "$((16#$rs)) $((16#$re))" > "$w/region"
	elif ! save_segments "$w"; then
		e2e_log "$ver: no usable crash plan (kept in $out/failed)"
		guest_quit "$w"
		keep_failed "$w" "$out" "$log"
		return 1
	fi
	if [ -n "$keep_region" ]; then
		[ -s "$w/region" ] || { e2e_log "$ver: no crash region to dump"; guest_quit "$w"; return 1; }
		read -r rs re < "$w/region"
		rm -f "$out/crash-region.bin"
		python3 "$qemu_lib_dir/qmp.py" "$w/qmp.sock" pmemsave "$rs" $((re - rs + 1)) "$out/crash-region.bin" ||
			{ e2e_log "$ver: pmemsave of the region failed"; guest_quit "$w"; return 1; }
		[ "$kind" = bios ] && printf '0x%x 0x%x\n' "$rs" $((re - rs + 1)) > "$out/crash-region.bin.where"
		e2e_log "$ver: dumped the crash region [0x$(printf %x "$rs"), 0x$(printf %x "$re")] to $out/crash-region.bin"
	fi
	guest_quit "$w"
	e2e_log "$ver: guest ran $((SECONDS - t0)) s (recording on the console after $tready s)"

	local bad
	bad=$(check_recording "$w" "$kernel" "$initrd")
	if [ -n "$bad" ]; then
		e2e_log "$ver: recording incomplete:$bad (kept in $out/failed)"
		keep_failed "$w" "$out" "$log"
		return 1
	fi

	rm -rf "$out/sysroot" "$out/failed" "$out/console-failed.log"
	cp -a "$w/rec/." "$out/"
	rm -f "$out/guest-sha256"
	cp "$initrd" "$out/initrd.img"
	if [ "$kind" != bios ]; then
		cp "$w"/*-p.bin "$out/"
		tr -d '\r' < "$log" | grep -av '^UKEXEC-B64:' > "$out/console.log"
		read -r rs re < "$w/region"
		printf '0x%x 0x%x\n' "$rs" $((re - rs + 1)) > "$out/crash-region.where"
		decode_segments "$out"
	fi
	write_inputs "$ver" "$kernel" "$initrd" "$out" > "$out/inputs"
	"readme_$kind" "$ver" "$out" > "$out/README"
	e2e_log "$ver: recorded into $out ($(grep -c 'segment' "$out/kernel-plan-l.log") + $(grep -c 'segment' "$out/kernel-plan-p.log") segment lines)"
}

readme_bios() {
	local out=$2
	cat <<EOF
# x86_64, Debian $1 kernel, QEMU 1 GiB BIOS guest: a recorded machine

Recorded by tests/e2e-x86_64/record.sh $1 (rerun it to refresh; the kernel comes from
scripts/fetch-kernels, pinned to the package named in inputs).

The guest: qemu-system-x86_64 (TCG, -cpu max), -m 1G -smp 1, SeaBIOS (no EFI),
booted with "crashkernel=256M nokaslr" (nokaslr: so a rerun records the same
addresses). Its /init (tests/e2e-x86_64/init.sh, stage "record") copied the files
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
MiB): tests/e2e-x86_64/record.sh --dump DIR $1 records a fresh boot into DIR/$1 and
saves the region there (crash-region.bin, crash-region.bin.where: start size).
EOF
}

readme_efi() {
	local out=$2
	cat <<EOF
# x86_64, Debian $1 kernel, QEMU 1 GiB guest booted through EFI (OVMF): a recorded machine

Recorded by tests/e2e-x86_64/record.sh efi $1 (rerun it to refresh; the kernel comes
from scripts/fetch-kernels, pinned to the package named in inputs; OVMF from
Debian's ovmf package: apt-get install ovmf). The BIOS twin of this machine
is tests/golden/x86_64-debian-$1 (same kernel, same initrd.img, same load
command lines).

The guest: qemu-system-x86_64 (TCG, -cpu max), -m 1G -smp 1, OVMF as pflash
(OVMF_CODE.fd read-only + a fresh copy of OVMF_VARS.fd), QEMU's direct kernel
boot (-kernel/-initrd/-append: OVMF starts the kernel's EFI stub, which loads
the initramfs through LINUX_EFI_INITRD_MEDIA_GUID, hence "initrd=initrd" at
the end of the boot command line), booted with "crashkernel=256M nokaslr
efi=debug" (efi=debug: boot-dmesg.log lists the firmware's whole EFI memory
map, mem00..). /init is tests/e2e-x86_64/init.sh, whose "record" stage copies the EFI files
below, then the BIOS recording's files, and runs both in-kernel loads. Everything comes back through the
serial console (tar | gzip | base64).

- sysroot/: the system view at real paths, read as root before any load: as
  in the BIOS recording (proc/iomem, proc/cmdline, proc/version,
  proc/sys/kernel/osrelease, sys/firmware/memmap/*/{start,end,type},
  sys/kernel/boot_params/{data,version} and setup_data/*/{type,data},
  sys/kernel/kexec_crash_size, sys/kernel/vmcoreinfo,
  sys/devices/system/cpu/..., cpu*/crash_notes{,_size}) plus
  sys/firmware/efi/{fw_vendor,config_table,runtime,systab,fw_platform_size},
  sys/firmware/efi/runtime-map/*/{phys_addr,virt_addr,num_pages,attribute,type}
  and proc/kcore (its first 64 KiB: head -c 65536 /proc/kcore).
  Use with kexec --sysroot=.../sysroot.
- kernel-plan-l.log: dmesg of the in-kernel kexec_file_load of
  kexec -s -d -l /vmlinuz --initrd=/initrd.img --append="<cmdline-l>"
  (/vmlinuz is the booted kernel itself). $(e2e_dyndbg "$1" && echo "$1: dynamic debug; no E820 list, no entry line." || echo "6.12: KEXEC_FILE_DEBUG; it lists the E820 map handed over (e820_table_kexec).")
- kernel-plan-p.log: dmesg of kexec -s -d -p with <cmdline-p>, after
  kexec -s -u, in the same boot.
- segments-p.txt: the crash load's segment table (from kernel-plan-p.log).
- boot_params-p.bin, elfcorehdr-p.bin, purgatory-p.bin: the crash load's
  boot_params, ELF core header and purgatory segments, bufsz bytes each, cut
  out of the "Crash kernel" region saved over QMP pmemsave right after the
  load (crash-region.where: start size). The boot_params segment holds
  boot_params (4 KiB), the command line at 0x1000, the EFI runtime memory
  map at ALIGN16(4096 + strlen(cmdline-p) + 1 + 30), then setup_data
  SETUP_EFI (type 4, 96 bytes) and the RNG seed (type 9, 32 random bytes:
  mask them, and the purgatory's digest that covers them).
- boot_params-p.txt: a decoding of boot_params-p.bin (efi_info, EFI map,
  E820 table, setup_data chain).
- tool-l.log, tool-p.log: what ukexec (-s: pass-through) printed, its exit
  status and kexec_loaded / kexec_crash_loaded afterwards.
- boot-dmesg.log: the whole boot log; console.log: the serial console (OVMF's
  screen output, EFI stub, kernel), without the recording's base64 lines.
- crash-region: the "Crash kernel" line(s) of /proc/iomem.
- notes: sys/firmware/efi present, runtime-map entry count, dyndbg queries.
- initrd.img: the initrd given to both loads (the BIOS recording's, bit for
  bit); inputs: kernel package, vmlinuz sha256, cmdlines, OVMF, QEMU.

Reruns are not bit-identical: OVMF's allocations below the runtime regions
(Loader/Boot Services data, the kernel's setup_data, a reserved EFI range)
moved by a page between two boots, and with them iomem, the crash E820 and the
EFI map's BootServices entries. Compare a plan only with the sysroot of its
own recording. The whole 256 MiB region: tests/e2e-x86_64/record.sh efi
--keep-region --out DIR $1 (DIR/$1/crash-region.bin).
EOF
}

readme_high() {
	local out=$2
	cat <<EOF
# x86_64, Debian $1 kernel, QEMU 5 GiB BIOS guest with crashkernel=256M,high: a recorded machine

Recorded by tests/e2e-x86_64/record.sh high $1 (rerun it to refresh; the kernel comes
from scripts/fetch-kernels, pinned to the package named in inputs). The
1 GiB twin of this machine is tests/golden/x86_64-debian-$1 (same kernel, same
initrd.img, same load command lines).

The guest: qemu-system-x86_64 (TCG, -cpu max), -m 5G -smp 1, SeaBIOS, QEMU's
direct kernel boot, booted with "crashkernel=256M,high crashkernel=128M,low
nokaslr". The kernel reserves two crash regions, both "Crash kernel" in
/proc/iomem (crash-regions: "low START END" and "high START END",
inclusive): crashk_res, 256 MiB above 4 GiB, where the crash load puts its
segments, and crashk_low_res, 128 MiB below 4 GiB, which the crash kernel
gets as RAM in its E820 (for swiotlb / DMA32) while the ELF core header
leaves both regions out. /init is tests/e2e-x86_64/init.sh, whose "record" stage prints
both regions and copies the head of /proc/kcore, then records the rest. Everything comes back through the serial console (tar |
gzip | base64).

- sysroot/: the system view at real paths, read as root before any load:
  proc/iomem (two "Crash kernel" lines), proc/cmdline, proc/version,
  proc/sys/kernel/osrelease, sys/firmware/memmap/*/{start,end,type},
  sys/kernel/boot_params/{data,version} and setup_data/*/{type,data},
  sys/kernel/kexec_crash_size ($(cat "$out/sysroot/sys/kernel/kexec_crash_size"): $(e2e_dyndbg "$1" && echo "crashk_res only" || echo "both regions together")),
  sys/kernel/vmcoreinfo,
  sys/devices/system/cpu/..., cpu*/crash_notes{,_size}, and proc/kcore (its
  first 64 KiB). Use with kexec --sysroot=.../sysroot.
- kernel-plan-l.log: dmesg of the in-kernel kexec_file_load of
  kexec -s -d -l /vmlinuz --initrd=/initrd.img --append="<cmdline-l>"
  (/vmlinuz is the booted kernel itself). $(e2e_dyndbg "$1" && echo "$1: dynamic debug; no E820 list, no entry line." || echo "6.12: KEXEC_FILE_DEBUG; it lists the E820 map handed over.")
- kernel-plan-p.log: dmesg of kexec -s -d -p with <cmdline-p>, after
  kexec -s -u, in the same boot. $(e2e_dyndbg "$1" && echo "$1 prints no E820 list: boot_params-p.txt has it." || echo "Its E820 list is the crash kernel's memmap: the low region is there as type 1 (RAM).")
- segments-p.txt: the crash load's segment table (from kernel-plan-p.log);
  every segment is in the high region (the recorder checks it).
- boot_params-p.bin, elfcorehdr-p.bin, purgatory-p.bin: the crash load's
  boot_params, ELF core header and purgatory segments, bufsz bytes each,
  saved over QMP pmemsave right after the load (only these; the whole high
  region: --keep-region). The boot_params segment holds boot_params
  (4 KiB), the command line at 0x1000, then the RNG seed setup_data (type 9,
  32 random bytes: mask them, and the purgatory's digest that covers them).
- boot_params-p.txt: a decoding of boot_params-p.bin (cmdline, E820 table
  with the crash regions marked, setup_data chain).
- elfcorehdr-p.txt: a decoding of elfcorehdr-p.bin (program headers, the
  PT_LOAD ranges and the holes that the two crash regions leave).
- crash-region.where: the high region (start size); crash-region: the
  "Crash kernel" lines of /proc/iomem after the crash load.
- tool-l.log, tool-p.log: what ukexec (-s: pass-through) printed, its exit
  status and kexec_loaded / kexec_crash_loaded afterwards.
- boot-dmesg.log: the whole boot log; console.log: the serial console,
  without the recording's base64 lines.
- notes: region count and kexec_crash_size before any load, efi absent.
- initrd.img: the initrd given to both loads (the 1 GiB recording's, bit for
  bit); inputs: kernel package, vmlinuz sha256, cmdlines, QEMU, regions.
EOF
}

rc=0
for v in "${vers[@]}"; do
	record_one "$v" || rc=1
done
exit $rc
