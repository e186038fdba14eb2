#!/bin/bash
# qemu-ppc64le.sh KERNEL INITRD [EXTRA_APPEND] ; log on stdout
k=$1 i=$2; shift 2
exec flock /tmp/ukexec-qemu.lock timeout 600 qemu-system-ppc64 -M pseries -cpu power9 -accel tcg -m ${MEM:-1G} -nographic -no-reboot \
	-kernel "$k" -initrd "$i" -append "console=hvc0 panic=-1 $*"
