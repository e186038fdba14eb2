#!/bin/sh
# /init of tests/e2e-ppc64/boot.sh's guests (every kernel: Debian's ppc64el 6.1).
# The host's files in the first initramfs choose the variants:
#   /reuse           (boot.sh own) the kernel QEMU booted (retain_initrd) first
#                    loads itself with kexec -l --reuseinitrd
#                    --dtb=/sys/firmware/fdt: the next one runs this /init
#                    again, from the same initrd, before the last load
#   /dtb-blob        (boot.sh kernel) the last load's device tree is this
#                    kernel's /sys/firmware/fdt with its /model changed
#                    (--dtb=/blob.dtb), which the last kernel prints
#   /kexec_purgatory the last load uses it (--purgatory=), else ukexec's own
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
chosen=/proc/device-tree/chosen
initrd_start() { hexdump -v -e '1/1 "%02x"' $chosen/linux,initrd-start 2>/dev/null; }
if grep -q ukexec.second /proc/cmdline; then
	echo "UKEXEC-SECOND-KERNEL $(cat /proc/cmdline)"
	echo "UKEXEC-SECOND-INITRD $(initrd_start)"
	echo "UKEXEC-SECOND-MODEL $(cat /proc/device-tree/model)"
	poweroff -f
fi
echo; echo "UKEXEC-FIRST-KERNEL $(uname -r)"
# this initramfs' own marker (the host's), and where this kernel found it
echo "UKEXEC-INITRD-MARKER $(cat /initrd-marker) at $(initrd_start)"
if [ -f /reuse ] && ! grep -q ukexec.reused /proc/cmdline; then
	# no segment or entry line: those on the console are the last load's
	/kexec -l /vmlinux --reuseinitrd --dtb=/sys/firmware/fdt --print-plan \
		--append="console=hvc0 panic=-1 quiet ukexec.reused=1" >/reuse.out 2>&1
	rc=$?
	sed 's/^/reuse: /' /reuse.out
	echo "UKEXEC-REUSE-LOADED loaded=$(cat /sys/kernel/kexec_loaded) rc=$rc"
	/kexec -e
	echo "UKEXEC-EXEC-FAILED rc=$?"
	poweroff -f
fi
# the kernel's purgatory when the host put it here, else the one kexec embeds
purgatory=; [ -f /kexec_purgatory ] && purgatory=--purgatory=/kexec_purgatory
dtb=
if [ -f /dtb-blob ]; then
	# the same length in place of "emulated by qemu", found in the hex of the blob
	cp /sys/firmware/fdt /blob.dtb
	want=$(printf 'emulated by qemu' | hexdump -v -e '1/1 "%02x"')
	at=$(hexdump -v -e '1/1 "%02x"' /blob.dtb | awk -v w="$want" '{ i = index($0, w); print i % 2 ? (i - 1) / 2 : -1 }')
	[ "$at" -ge 0 ] && printf 'ukexec-dtb-blob!' | dd of=/blob.dtb bs=1 seek="$at" conv=notrunc 2>/dev/null
	echo "UKEXEC-BLOB ukexec-dtb-blob! at byte $at of /sys/firmware/fdt's copy"
	dtb=--dtb=/blob.dtb
fi
/kexec -d -l /vmlinux --initrd=/initrd.img --append="console=hvc0 panic=-1 ukexec.second=1" \
	$purgatory $dtb --print-plan
echo "UKEXEC-LOADED rc=$?"
# the host's gdb sets its breakpoint at the kernel's entry meanwhile
sleep 8
/kexec -e
echo "UKEXEC-EXEC-FAILED rc=$?"
poweroff -f
