#!/bin/busybox sh
# /init of the x86_64 e2e guests (tests/e2e-x86_64/lib.sh puts it in every
# initramfs). What to do comes from the kernel command line:
#   ukexec.stage=   probe | record | load | gdb | second | crashed | dom0
#   ukexec.marker=  printed back, so the log proves which kernel ran
#   ukexec.mode=    (load) s: kexec -s -l; a: kexec -a -l with kexec_file_load
#                   denied (ENOSYS) by sysdeny; c: kexec -c -l;
#                   e: kexec -c -l /vmlinux --args-linux (kexec-tools' ELF
#                   loader); m: kexec -l -t multiboot-x86 of /mbtest.elf with
#                   a --module; m2: the same without -t (both headers:
#                   multiboot2); b: kexec -l -t bzImage (the 32-bit entry);
#                   x2/x1: kexec -l -t multiboot2-x86/multiboot-x86 of Debian's
#                   Xen (/xen) with /vmlinuz and /initrd2x as dom0's modules;
#                   x2r: x2 of a Xen whose relocatable tag moves it
#                   r: kexec -l --real-mode (the 16-bit entry, on the BIOS);
#                   n, n32: kexec -l of /nbitest.nbi (an nbi image, real-mode
#                   or 32-bit entry);
#                   e32: kexec -l -t elf-x86 --args-linux of /elf32.elf (the
#                   test kernel without multiboot headers), /mbmod as initrd;
#                   e32n: the same with --args-none, no initrd, probed;
#                   e32e: the same with kexec-tools' default --args-elf
#                   (ELF boot notes) and a command line;
#                   i386: kexec -l -t elf-x86 --args-linux of /vmlinux386 (a
#                   Debian 686 kernel's vmlinux) with /init386.cpio;
#                   sp: kexec -s -p, then crash the kernel; bad: kexec -s -l
#                   of a file that is no kernel (the harness must see a FAIL)
#   ukexec.next=    (load) the marker of the next kernel
#   ukexec.dyndbg=1 (record) enable the kexec_file pr_debug()s (6.1)
# The record stage of the efi and high machines (marker record-VER-efi,
# record-VER-high) first copies what only those machines have.
# Every line meant for the host starts with UKEXEC-.
. /guest.sh

# record_efi: (record.sh efi) what only an EFI-booted machine has, first
record_efi() {
	local d
	mkdir -p /out/sysroot
	echo "UKEXEC-EFI-INIT $(uname -r) efi=$([ -d /sys/firmware/efi ] && echo present || echo absent)"
	if [ -d /sys/firmware/efi ]; then
		copy /sys/firmware/efi/fw_vendor /sys/firmware/efi/config_table \
			/sys/firmware/efi/runtime /sys/firmware/efi/systab \
			/sys/firmware/efi/fw_platform_size
		if [ -d /sys/firmware/efi/runtime-map ]; then
			for d in /sys/firmware/efi/runtime-map/*; do
				copy "$d/phys_addr" "$d/virt_addr" "$d/num_pages" "$d/attribute" "$d/type"
			done
			echo "efi runtime-map: $(ls /sys/firmware/efi/runtime-map | wc -l) entries" >> /out/notes
		else
			echo "efi runtime-map: absent" >> /out/notes
		fi
		[ -d /sys/firmware/efi/efivars ] && echo "efi efivars: present" >> /out/notes
	fi
	kcore_head
}

# record_high: (record.sh high) both "Crash kernel" regions (crashk_low_res
# below 4 GiB, crashk_res above) on the console, before any load
record_high() {
	mkdir -p /out/sysroot
	echo "UKEXEC-HIGH-INIT $(uname -r)"
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' /proc/iomem |
		while read -r s e; do echo "UKEXEC-CRASH-REGION $s $e"; done
	echo "crash regions before any load: $(grep -c 'Crash kernel' /proc/iomem)" >> /out/notes
	echo "kexec_crash_size before any load: $(cat /sys/kernel/kexec_crash_size 2>/dev/null)" >> /out/notes
	kcore_head
}

# kcore_head: the first 64 KiB of /proc/kcore (its ELF and program headers)
kcore_head() {
	mkdir -p /out/sysroot/proc
	head -c 65536 /proc/kcore > /out/sysroot/proc/kcore 2>/dev/null ||
		echo "unreadable: /proc/kcore" >> /out/notes
}

record() {
	local d f
	mkdir -p /out/sysroot
	# the system view, before any load
	copy /proc/iomem /proc/cmdline /proc/sys/kernel/osrelease /proc/version
	for d in /sys/firmware/memmap/*; do copy "$d/start" "$d/end" "$d/type"; done
	copy /sys/kernel/boot_params/data /sys/kernel/boot_params/version
	for d in /sys/kernel/boot_params/setup_data/*; do copy "$d/type" "$d/data"; done
	copy /sys/kernel/kexec_crash_size /sys/kernel/kexec_crash_loaded /sys/kernel/kexec_loaded \
		/sys/kernel/vmcoreinfo /sys/kernel/fadump_enabled
	copy /sys/devices/system/cpu/possible /sys/devices/system/cpu/present \
		/sys/devices/system/cpu/online
	for d in /sys/devices/system/cpu/cpu[0-9]*; do copy "$d/crash_notes" "$d/crash_notes_size"; done
	if [ -d /sys/firmware/efi ]; then
		echo "sys/firmware/efi: present" >> /out/notes
		mkdir -p /out/sysroot/sys/firmware/efi
	else
		echo "sys/firmware/efi: absent (BIOS boot)" >> /out/notes
	fi
	dmesg > /out/boot-dmesg.log
	sha256sum /vmlinuz /initrd.img > /out/guest-sha256

	if [ "$(arg ukexec.dyndbg)" = 1 ]; then
		mount -t debugfs debugfs /sys/kernel/debug
		for f in kernel/kexec_file.c kernel/kexec_core.c arch/x86/kernel/kexec-bzimage64.c \
			arch/x86/kernel/crash.c arch/x86/kernel/machine_kexec_64.c kernel/crash_core.c; do
			if echo "file $f +p" > /sys/kernel/debug/dynamic_debug/control 2>/dev/null; then
				echo "dyndbg: file $f +p" >> /out/notes
			else
				echo "dyndbg: file $f: no pr_debug sites" >> /out/notes
			fi
		done
	fi

	# the in-kernel plan, normal load, with our tool in pass-through mode
	dmesg -c > /dev/null
	/kexec -s -d -l /vmlinuz --initrd=/initrd.img --append="$(cat /cmdline-l)" > /out/tool-l.log 2>&1
	echo "exit $?" >> /out/tool-l.log
	echo "kexec_loaded $(cat /sys/kernel/kexec_loaded)" >> /out/tool-l.log
	dmesg -c > /out/kernel-plan-l.log
	/kexec -s -u >> /out/tool-l.log 2>&1
	echo "unload exit $? kexec_loaded $(cat /sys/kernel/kexec_loaded)" >> /out/tool-l.log
	dmesg -c > /dev/null

	# the in-kernel plan, crash load
	/kexec -s -d -p /vmlinuz --initrd=/initrd.img --append="$(cat /cmdline-p)" > /out/tool-p.log 2>&1
	echo "exit $?" >> /out/tool-p.log
	echo "kexec_crash_loaded $(cat /sys/kernel/kexec_crash_loaded)" >> /out/tool-p.log
	dmesg -c > /out/kernel-plan-p.log
	grep -i "crash kernel" /proc/iomem > /out/crash-region

	send_out
	# the host may dump [start, end] over QMP (record.sh --dump); it ends QEMU
	dump_ready
	sleep 120
	echo "UKEXEC-FAIL the host did not end the recording"
}

load() {
	local mode next rc t
	mode=$(arg ukexec.mode)
	next="console=ttyS0 panic=-1 ukexec.stage=second ukexec.marker=$(arg ukexec.next)"
	case $mode in
	s) /kexec -s -l /vmlinuz --initrd=/initrd2 --append="$next" > /tmp/out 2>&1 ;;
	a) /sysdeny kexec_file_load=ENOSYS -- /kexec -a -d -l /vmlinuz --initrd=/initrd2 \
		--append="$next" > /tmp/out 2>&1 ;;
	c) /kexec -c -l /vmlinuz --initrd=/initrd2 --append="$next" > /tmp/out 2>&1 ;;
	e) /kexec -c -d -l /vmlinux --args-linux --initrd=/initrd2 --append="$next" > /tmp/out 2>&1 ;;
	m) /kexec -d -l -t multiboot-x86 --command-line="ukexec.marker=$(arg ukexec.next)" \
		--module="/mbmod modarg1 modarg2" /mbtest.elf > /tmp/out 2>&1 ;;
	m2) # the framebuffer the first kernel runs on (vga= from the host: vesafb)
		echo "UKEXEC-FB0 $(cat /sys/class/graphics/fb0/virtual_size 2>/dev/null)" \
			"$(cat /sys/class/graphics/fb0/bits_per_pixel 2>/dev/null)" \
			"$(cat /sys/class/graphics/fb0/stride 2>/dev/null)"
		/kexec -d -l --command-line="ukexec.marker=$(arg ukexec.next)" \
		--module="/mbmod modarg1 modarg2" /mbtest.elf > /tmp/out 2>&1 ;;
	x2|x2r|x1) [ "$mode" = x1 ] && t=multiboot-x86 || t=multiboot2-x86
		# smap=0: under TCG (-cpu max) Xen 4.17 with SMAP on kills dom0 at
		# its first stack access (#PF[0001] on a present page, cr4.SMAP)
		/kexec -d -l -t $t --command-line="console=com1 com1=115200,8n1 dom0_mem=256M,max:256M smap=0" \
			--module="/vmlinuz console=hvc0 earlyprintk=xen panic=-1 ukexec.stage=dom0 ukexec.marker=$(arg ukexec.next)" \
			--module=/initrd2x /xen > /tmp/out 2>&1 ;;
	b) /kexec -d -l -t bzImage --initrd=/initrd2 --append="$next" /vmlinuz > /tmp/out 2>&1 ;;
	r) /kexec -d -l --real-mode --initrd=/initrd2 --append="$next" /vmlinuz > /tmp/out 2>&1 ;;
	n|n32) /kexec -d -l /nbitest.nbi > /tmp/out 2>&1 ;;
	e32) /kexec -d -l -t elf-x86 --args-linux --initrd=/mbmod \
		--append="ukexec.marker=$(arg ukexec.next)" /elf32.elf > /tmp/out 2>&1 ;;
	e32n) /kexec -d -l --args-none /elf32.elf > /tmp/out 2>&1 ;;
	e32e) /kexec -d -l --append="ukexec.marker=$(arg ukexec.next)" /elf32.elf > /tmp/out 2>&1 ;;
	i386) /kexec -d -l -t elf-x86 --args-linux --initrd=/init386.cpio --append="$next" \
		/vmlinux386 > /tmp/out 2>&1 ;;
	bad) /kexec -s -l /initrd2 --append="$next" > /tmp/out 2>&1 ;;	# not a kernel
	sp) next="console=ttyS0 panic=-1 irqpoll nr_cpus=1 reset_devices ukexec.stage=crashed ukexec.marker=$(arg ukexec.next)"
		/kexec -s -p /vmlinuz --initrd=/initrd2 --append="$next" > /tmp/out 2>&1 ;;
	*) echo "UKEXEC-FAIL unknown mode '$mode'"; return ;;
	esac
	rc=$?
	say /tmp/out
	if [ $rc -ne 0 ]; then
		if grep -q "cannot load x86_64 kernels yet" /tmp/out; then
			echo "UKEXEC-UNSUPPORTED $rc"
		else
			echo "UKEXEC-FAIL kexec $mode load: exit $rc"
		fi
		return
	fi
	if [ "$mode" = sp ]; then
		echo "UKEXEC-LOADED crash $(cat /sys/kernel/kexec_crash_loaded)"
		echo c > /proc/sysrq-trigger
		echo "UKEXEC-FAIL still running after the crash"
		return
	fi
	echo "UKEXEC-LOADED $(cat /sys/kernel/kexec_loaded)"
	/kexec -e
	echo "UKEXEC-FAIL kexec -e returned $?"
}

case $stage in
probe)
	echo "UKEXEC-PROBE $marker"
	;;
record)
	# the marker names the machine kind (tests/e2e-x86_64/record.sh)
	case $marker in
	*-efi) record_efi ;;
	*-high) record_high ;;
	esac
	echo "UKEXEC-RECORD $marker $(uname -r)"
	record
	;;
load)
	echo "UKEXEC-FIRST $marker $(uname -r)"
	load
	;;
gdb)
	# kexec -s -l, say where the purgatory entry and the initrd are (from the
	# kernel's KEXEC_FILE_DEBUG lines, 6.12), wait for a line on the console
	# (the host has set its breakpoint), kexec -e
	echo "UKEXEC-FIRST $marker $(uname -r)"
	next="console=ttyS0 panic=-1 ukexec.stage=second ukexec.marker=$(arg ukexec.next)"
	dmesg -c > /dev/null
	/kexec -s -d -l /vmlinuz --initrd=/initrd2 --append="$next" > /tmp/out 2>&1 ||
		{ say /tmp/out; echo "UKEXEC-FAIL kexec -s -d -l"; poweroff -f; }
	dmesg > /tmp/plan
	entry=$(sed -n 's/.*kexec_file_load: type:0, start:\(0x[0-9a-f]*\).*/\1/p' /tmp/plan | tail -n1)
	initrd=$(sed -n 's/.*Loaded initrd at \(0x[0-9a-f]*\).*/\1/p' /tmp/plan | tail -n1)
	echo "UKEXEC-GDB-READY ${entry:-none} ${initrd:-none}"
	read -r go
	echo "UKEXEC-GO $go"
	/kexec -e
	echo "UKEXEC-FAIL kexec -e returned $?"
	;;
second)
	echo "UKEXEC-SECOND $marker $(uname -r)"
	;;
dom0)
	# Xen's dom0 (modes x2/x1): say so, then try a load, which ukexec must
	# refuse in one line (kexec in a dom0 goes through Xen hypercalls)
	echo "UKEXEC-SECOND $marker $(uname -r)"
	echo "UKEXEC-XEN type=$(cat /sys/hypervisor/type) guest_type=$(cat /sys/hypervisor/guest_type 2>/dev/null) features=$(cat /sys/hypervisor/properties/features 2>/dev/null) capabilities=$(cat /proc/xen/capabilities 2>/dev/null)"
	/kexec -l /kexec --append=dom0 > /tmp/out 2>&1
	echo "UKEXEC-DOM0-LOAD exit $? $(head -n1 /tmp/out)"
	;;
crashed)
	echo "UKEXEC-CRASHED $marker $(uname -r)"
	echo "UKEXEC-VMCORE $(stat -c %s /proc/vmcore 2>/dev/null || echo none)"
	;;
*)
	echo "UKEXEC-FAIL unknown stage '$stage'"
	;;
esac
poweroff -f
