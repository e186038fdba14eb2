#!/bin/bash
# Record a pseries machine and the ppc64le 6.1 kernel's own kexec_file plan:
# the oracle of tests/golden/ppc64-pseries-6.1/ (tests/unit/test-ppc64-golden.sh).
# Not run by CI or make check.
#
#   record.sh VMLINUX PAYLOAD BUSYBOX OUT_DIR
# VMLINUX: the unstripped vmlinux of doc/dev/next-arches/build-ppc64le.sh
# (KEXEC_FILE, CRASH_DUMP, DYNAMIC_DEBUG), the running kernel: its
# kexec_file_load is the oracle. PAYLOAD: the ELF vmlinux it loads, Debian's
# own ppc64el kernel (scripts/fetch-ppc64: CACHE/debian-vmlinux, its package
# in CACHE/package), so that the golden test needs only a download, not a
# kernel build. BUSYBOX: Debian's ppc64el busybox-static (CACHE/busybox).
# Needs qemu-system-ppc64, powerpc64le-linux-gnu-{gcc,nm,objcopy,objdump}, cpio.
#
# OUT_DIR/kexec_purgatory: the kernel's purgatory, the kexec_purgatory blob of
# VMLINUX cut out with binutils (nm, objcopy), so that ukexec can plan with
# the kernel's own purgatory (--purgatory=FILE) without VMLINUX.
#
# One boot of qemu -M pseries -cpu power9 (TCG, -m 1G,slots=4,maxmem=2G so
# that the tree has ibm,dynamic-reconfiguration-memory, crashkernel=128M).
# Another machine shape (tests/golden/ppc64-pseries-6.1-64k):
#   UKEXEC_RECORD_SMP=N             -smp N (default 1)
#   UKEXEC_RECORD_MEM=SPEC          -m SPEC (default 1G,slots=4,maxmem=2G)
#   UKEXEC_RECORD_DIMM=SIZE         a pc-dimm of SIZE, cold-plugged: LMBs of
#                                   ibm,dynamic-memory-v2 assigned at boot
#   UKEXEC_RECORD_CRASHKERNEL=SIZE  crashkernel= (default 128M)
# VMLINUX's config (its build directory's "config") goes to
# sysroot/boot/config-RELEASE, where Debian installs it, and /proc/cpuinfo
# (the MMU the kernel runs with) to sysroot/proc/cpuinfo.
# /init copies the system view out (a tar through the serial console, its
# sha256 checked here), turns on the pr_debug lines of the kexec_file code
# (/proc/dynamic_debug/control), then kexec_file_load()s the payload with the
# initrd and command line of OUT_DIR/inputs: -l, then -p; the kernel log of
# each load is the kernel's plan. Nothing is executed. Before the loads,
# /init waits for the RNG (a read of /dev/random), so the kernel's device tree
# has kaslr-seed and rng-seed, as ukexec's has on a host with randomness.
set -euo pipefail
vmlinux=$1 payload=$2 busybox=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "record: $*" >&2; exit 1; }
for t in qemu-system-ppc64 powerpc64le-linux-gnu-gcc powerpc64le-linux-gnu-nm \
	 powerpc64le-linux-gnu-objcopy powerpc64le-linux-gnu-objdump cpio flock; do
	command -v $t >/dev/null || die "$t not found"
done
[ -f "$vmlinux" ] && [ -f "$payload" ] || die "$vmlinux or $payload: missing"
package=$(cat "$(dirname "$payload")/package" 2>/dev/null) ||
	die "$(dirname "$payload")/package: which Debian package is $payload? (scripts/fetch-ppc64)"
[ -f "$busybox" ] || die "$busybox: no such busybox"
mkdir -p "$out"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT

# kexec_purgatory[kexec_purgatory_size] of the running kernel, out of .rodata
sym() { powerpc64le-linux-gnu-nm "$vmlinux" | awk -v s="$1" '$3 == s { print $1 }'; }
blob=$(sym kexec_purgatory) sizesym=$(sym kexec_purgatory_size)
[ -n "$blob" ] && [ -n "$sizesym" ] || die "$vmlinux: no kexec_purgatory symbols (KEXEC_FILE?)"
sec_of() { # ADDR: "NAME VMA" of the section holding ADDR (offsets: no 64-bit compare)
	local idx name size vma rest d
	while read -r idx name size vma rest; do
		[[ $idx =~ ^[0-9]+$ ]] || continue
		d=$((0x$1 - 0x$vma))
		[ "$d" -ge 0 ] && [ "$d" -lt $((0x$size)) ] && { echo "$name $vma"; return; }
	done < <(LC_ALL=C powerpc64le-linux-gnu-objdump -h "$vmlinux")
}
read -r sec vma <<< "$(sec_of "$sizesym")"
powerpc64le-linux-gnu-objcopy -O binary --only-section="$sec" "$vmlinux" "$w/sec.bin"
size=$(od -An -t u8 -j $((0x$sizesym - 0x$vma)) -N 8 "$w/sec.bin" | tr -d ' ')
read -r sec vma <<< "$(sec_of "$blob")"
powerpc64le-linux-gnu-objcopy -O binary --only-section="$sec" "$vmlinux" "$w/sec.bin"
dd if="$w/sec.bin" of="$out/kexec_purgatory" iflag=skip_bytes,count_bytes status=none \
	skip=$((0x$blob - 0x$vma)) count="$size"
[ "$(head -c 4 "$out/kexec_purgatory" | od -An -c | tr -d ' ')" = '177ELF' ] ||
	die "$vmlinux: kexec_purgatory is not an ELF object"

cmdline_l='console=hvc0 panic=-1 ukexec.oracle=ppc64-l'
cmdline_p='console=hvc0 panic=-1 ukexec.oracle=ppc64-p maxcpus=1'
queries='file kexec_file.c +p;file kexec_elf.c +p;file elf_64.c +p;file file_load_64.c +p;file file_load.c +p;file ranges.c +p;file kexec.c +p'

powerpc64le-linux-gnu-gcc -static -O2 -o "$w/kftest" "$top/doc/dev/next-arches/kftest.c"
powerpc64le-linux-gnu-gcc -static -O2 -Wall -Wextra -o "$w/kcore-read" "$here/kcore-read.c"

# The initrd given to both loads: fixed bytes, committed with the golden files.
mkdir -p "$w/initrd/etc"
head -c 70000 /dev/zero | tr '\0' 'u' > "$w/initrd/etc/ukexec-initrd"
touch -d @0 "$w/initrd/etc/ukexec-initrd" "$w/initrd/etc" "$w/initrd"
(cd "$w/initrd" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) | gzip -9n > "$out/initrd.img"

mkdir -p "$w/root"/{bin,proc,sys,dev,rec}
cp "$busybox" "$w/root/bin/busybox"; ln -s busybox "$w/root/bin/sh"
cp "$payload" "$w/root/kernel"; cp "$out/initrd.img" "$w/root/initrd.img"; cp "$w/kftest" "$w/root/kftest"
cp "$w/kcore-read" "$w/root/kcore-read"
cat > "$w/root/init" <<INIT
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
dump() { echo "BEGIN-\$1"; base64 < "\$2"; echo "END-\$1"; echo "SHA-\$1 \$(sha256sum < "\$2" | cut -d" " -f1)"; }
r=/rec/sysroot
mkdir -p \$r/proc/sys/kernel \$r/proc/self \$r/sys/firmware \$r/sys/kernel \$r/sys/devices/system/cpu
for f in iomem cmdline version sys/kernel/osrelease self/auxv cpuinfo; do cat /proc/\$f > \$r/proc/\$f; done
cat /sys/firmware/fdt > \$r/sys/firmware/fdt
cp -a /sys/firmware/devicetree \$r/sys/firmware/
for f in kexec_crash_size vmcoreinfo; do cat /sys/kernel/\$f > \$r/sys/kernel/\$f; done
for f in possible present online; do cat /sys/devices/system/cpu/\$f > \$r/sys/devices/system/cpu/\$f; done
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	mkdir -p \$r\$c
	for f in crash_notes crash_notes_size; do cat \$c/\$f > \$r\$c/\$f; done
done
ln -s ../sys/firmware/devicetree/base \$r/proc/device-tree
tar -C \$r -cf - . | gzip -9 > /rec/sysroot.tar.gz
dump SYSROOT /rec/sysroot.tar.gz
Q='$queries'
# the kernel's device tree gets kaslr-seed and rng-seed only once the RNG is ready
head -c 1 /dev/random > /dev/null && echo RNG-READY
IFS=';'; for q in \$Q; do
	if echo "\$q" > /proc/dynamic_debug/control 2>/dev/null; then echo "DYNDBG-OK \$q"; else echo "DYNDBG-NONE \$q"; fi
done; unset IFS
dmesg -c > /rec/boot-dmesg.log
dump BOOT-DMESG /rec/boot-dmesg.log
/kftest /kernel /initrd.img '$cmdline_l' > /rec/kftest-l.log 2>&1
dmesg -c > /rec/kernel-plan-l.log
cat /rec/kftest-l.log >> /rec/kernel-plan-l.log
dump PLAN-L /rec/kernel-plan-l.log
/kftest /kernel /initrd.img '$cmdline_p' crash > /rec/kftest-p.log 2>&1
dmesg -c > /rec/kernel-plan-p.log
cat /rec/kftest-p.log >> /rec/kernel-plan-p.log
dump PLAN-P /rec/kernel-plan-p.log
# the crash load's segments as the kernel wrote them into the crash region (all but the kernel)
sed -n 's/.*Loading segment \\([0-9]*\\): buf=[^ ]* bufsz=\\(0x[0-9a-f]*\\) mem=\\(0x[0-9a-f]*\\) .*/\\1 \\2 \\3/p' /rec/kernel-plan-p.log |
while read n sz mem; do
	[ \$((sz)) -le 1048576 ] || continue
	/kcore-read \$mem \$sz > /rec/seg.bin && dump CRASH-SEG-\$n /rec/seg.bin
done
poweroff -f
INIT
chmod +x "$w/root/init"
(cd "$w/root" && find . | sort | cpio -o -H newc --quiet | gzip -1n) > "$w/root.cpio.gz"

smp=${UKEXEC_RECORD_SMP:-1} mem=${UKEXEC_RECORD_MEM:-1G,slots=4,maxmem=2G}
crashkernel=${UKEXEC_RECORD_CRASHKERNEL:-128M}
dimm=()
[ -z "${UKEXEC_RECORD_DIMM:-}" ] ||
	dimm=(-object "memory-backend-ram,id=ukexec-dimm0,size=$UKEXEC_RECORD_DIMM"
	      -device pc-dimm,id=dimm0,memdev=ukexec-dimm0)
flock /tmp/ukexec-qemu.lock timeout 900 qemu-system-ppc64 -M pseries -cpu power9 -accel tcg \
	-smp "$smp" -m "$mem" "${dimm[@]}" -nographic -no-reboot -kernel "$vmlinux" \
	-initrd "$w/root.cpio.gz" -append "console=hvc0 panic=-1 crashkernel=$crashkernel" \
	</dev/null | tr -d '\r' > "$w/console.log"

extract() { # NAME FILE
	awk -v b="BEGIN-$1" -v e="END-$1" '$0 == b { on = 1; next } $0 == e { on = 0 } on && /^[A-Za-z0-9+\/=]+$/' "$w/console.log" |
		base64 -d > "$2" || die "no $1 block (see $w/console.log)"
	want=$(awk -v s="SHA-$1" '$1 == s { print $2 }' "$w/console.log")
	got=$(sha256sum < "$2" | cut -d' ' -f1)
	[ -n "$want" ] && [ "$want" = "$got" ] || { cp "$w/console.log" "$out/console.log"; die "$1 does not match its sha256 (console garbled?)"; }
}
extract SYSROOT "$w/sysroot.tar.gz"
rm -rf "$out/sysroot"; mkdir -p "$out/sysroot"; tar -C "$out/sysroot" -xzf "$w/sysroot.tar.gz"
if [ -f "$(dirname "$vmlinux")/config" ]; then
	mkdir -p "$out/sysroot/boot"
	cp "$(dirname "$vmlinux")/config" "$out/sysroot/boot/config-$(cat "$out/sysroot/proc/sys/kernel/osrelease")"
fi
extract BOOT-DMESG "$out/boot-dmesg.log"
extract PLAN-L "$out/kernel-plan-l.log"
extract PLAN-P "$out/kernel-plan-p.log"
rm -rf "$out/kernel-p-segments"; mkdir -p "$out/kernel-p-segments"
for n in $(sed -n 's/^BEGIN-CRASH-SEG-\([0-9]*\)$/\1/p' "$w/console.log"); do
	extract "CRASH-SEG-$n" "$out/kernel-p-segments/segment-$n.bin"
done
[ -f "$out/kernel-p-segments/segment-5.bin" ] || die "no crash segments read through /proc/kcore"
grep '^DYNDBG-\|^RNG-READY' "$w/console.log" > "$out/notes"
{
	echo "package $package"
	echo "payload-sha256 $(sha256sum < "$payload" | cut -d' ' -f1)"
	echo "oracle-vmlinux-sha256 $(sha256sum < "$vmlinux" | cut -d' ' -f1)"
	echo "oracle-version $(strings "$vmlinux" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n1)"
	echo "oracle-source $(dpkg-query -W -f '${Package} ${Version}' linux-source-6.1 2>/dev/null || echo unknown)"
	cfg=$(dirname "$vmlinux")/config
	echo "oracle-config-sha256 $( [ -f "$cfg" ] && sha256sum < "$cfg" | cut -d' ' -f1 || echo unknown)"
	echo "purgatory kexec_purgatory $(sha256sum < "$out/kexec_purgatory" | cut -d' ' -f1)"
	echo "initrd initrd.img $(sha256sum < "$out/initrd.img" | cut -d' ' -f1)"
	echo "cmdline-l $cmdline_l"
	echo "cmdline-p $cmdline_p"
	echo "qemu -smp $smp -m $mem${UKEXEC_RECORD_DIMM:+ pc-dimm $UKEXEC_RECORD_DIMM} crashkernel=$crashkernel"
} > "$out/inputs"
echo "record: recorded in $out:"; ls -l "$out"
