#!/bin/busybox sh
# /init of the EFI recording guest (tests/e2e/record-efi.sh). For stage
# "record" it first copies what only an EFI-booted machine has into
# /out/sysroot (the EFI sysfs tables and runtime map, the head of
# /proc/kcore), then hands over to tests/e2e/init.sh (in the initramfs as
# /init-record), whose "record" stage adds the rest, runs the in-kernel loads
# and sends /out to the host. Any other stage goes straight to init.sh.
/bin/busybox mkdir -p /proc /sys /dev /bin /sbin /tmp /out/sysroot
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -n1; }

# efi_copy PATH...: PATH (a /proc or /sys file) into /out/sysroot, at its path
efi_copy() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		mkdir -p "/out/sysroot$(dirname "$f")"
		cat "$f" > "/out/sysroot$f" 2>/dev/null ||
			{ rm -f "/out/sysroot$f"; echo "unreadable: $f" >> /out/notes; }
	done
}

if [ "$(arg ukexec.stage)" = record ]; then
	echo "UKEXEC-EFI-INIT $(uname -r) efi=$([ -d /sys/firmware/efi ] && echo present || echo absent)"
	if [ -d /sys/firmware/efi ]; then
		efi_copy /sys/firmware/efi/fw_vendor /sys/firmware/efi/config_table \
			/sys/firmware/efi/runtime /sys/firmware/efi/systab \
			/sys/firmware/efi/fw_platform_size
		if [ -d /sys/firmware/efi/runtime-map ]; then
			for d in /sys/firmware/efi/runtime-map/*; do
				efi_copy "$d/phys_addr" "$d/virt_addr" "$d/num_pages" "$d/attribute" "$d/type"
			done
			echo "efi runtime-map: $(ls /sys/firmware/efi/runtime-map | wc -l) entries" >> /out/notes
		else
			echo "efi runtime-map: absent" >> /out/notes
		fi
		[ -d /sys/firmware/efi/efivars ] && echo "efi efivars: present" >> /out/notes
	fi
	mkdir -p /out/sysroot/proc
	head -c 65536 /proc/kcore > /out/sysroot/proc/kcore 2>/dev/null ||
		echo "unreadable: /proc/kcore" >> /out/notes
fi
umount /sys
umount /proc
exec /bin/busybox sh /init-record
