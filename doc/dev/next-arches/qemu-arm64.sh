#!/bin/bash
# qemu-arm64.sh KERNEL INITRD [EXTRA_APPEND] ; log on stdout
k=$1 i=$2; shift 2
exec flock /tmp/ukexec-qemu.lock timeout 600 qemu-system-aarch64 -M virt -cpu max -accel tcg -m ${MEM:-1G} -nographic -no-reboot \
	-kernel "$k" -initrd "$i" -append "console=ttyAMA0 panic=-1 $*"
