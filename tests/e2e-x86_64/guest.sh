# Sourced by every x86_64 guest /init (init.sh, init-crash.sh,
# init-load-oracle.sh; lib.sh puts it in each initramfs as /guest.sh): the
# mounts, the ukexec.* arguments and the console helpers they share.
/bin/busybox mkdir -p /proc /sys /dev /bin /sbin /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -n1; }
stage=$(arg ukexec.stage)
marker=$(arg ukexec.marker)

# say FILE: the file's lines on the console, tagged
say() { sed "s/^/UKEXEC-OUT: /" "$1"; }

# copy PATH...: PATH (a /proc or /sys file) into the recorded tree /out/sysroot
copy() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		mkdir -p "/out/sysroot$(dirname "$f")"
		cat "$f" > "/out/sysroot$f" 2>/dev/null || { rm -f "/out/sysroot$f"; echo "unreadable: $f" >> /out/notes; }
	done
}

# save_load RC FLAG: into /out the load's exit status RC and /sys/kernel/FLAG
# after it (tool.log), its kernel log (kernel.log) and its plan's manifest
save_load() {
	echo "exit $1" >> /out/tool.log
	echo "$2 $(cat "/sys/kernel/$2")" >> /out/tool.log
	dmesg -c > /out/kernel.log
	[ ! -f /tmp/plan/manifest ] || cp /tmp/plan/manifest /out/manifest
}

# send_out: /out through the console: gzipped tar, base64, one tagged line each
send_out() {
	dmesg -n 1
	echo "UKEXEC-TAR-BEGIN"
	(cd /out && tar c . | gzip -9 | base64 | sed 's/^/UKEXEC-B64:/')
	echo "UKEXEC-TAR-END"
}

# dump_ready: UKEXEC-DUMP-READY and the "Crash kernel" region's start and end
dump_ready() {
	echo "UKEXEC-DUMP-READY $(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' /proc/iomem | head -n1)"
}
