#!/bin/bash
# Debian's own ppc64el 6.1 kernel (CONFIG_KEXEC, no KEXEC_FILE, 64 KiB pages)
# boots a second kernel with a plain `kexec -l` + `kexec -e` of the static
# ppc64le ukexec (issue 13): kexec_file_load fails with ENOSYS, ukexec falls
# back to its userspace plan (the ELF vmlinux loader, the FDT, the kernel's
# purgatory: tests/golden/ppc64-pseries-6.1/kexec_purgatory, the oracle
# kernel's own) and kexec_load. QEMU pseries, POWER9, TCG, one boot of
# Debian's kernel that kexecs the same kernel with a small initramfs.
#
#   boot.sh    TAP; exit 77 without qemu-system-ppc64, the Debian vmlinux and
#              busybox (scripts/fetch-ppc64) or CACHE/kexec-static
#              (tests/e2e-ppc64/static-cross.sh)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${UKEXEC_PPC64_CACHE:-$here/cache}
g=$top/tests/golden/ppc64-pseries-6.1
skip() { echo "1..0 # SKIP $*"; exit 77; }
command -v qemu-system-ppc64 >/dev/null || skip "qemu-system-ppc64 not found"
for f in debian-vmlinux busybox kexec-static; do
	[ -s "$cache/$f" ] || skip "no $cache/$f (scripts/fetch-ppc64, tests/e2e-ppc64/static-cross.sh)"
done
tmp=$(mktemp -d) || exit 1
trap '[ -n "${UKEXEC_KEEP:-}" ] && cp "$tmp/console" /tmp/ppc64b-boot.console; rm -rf "$tmp"' EXIT

# initramfs: the second kernel's (busybox, /init), then the first's (the
# same and ukexec, the kernel, the purgatory, the second's initramfs)
for d in inner outer; do
	mkdir -p "$tmp/$d/bin" "$tmp/$d/proc" "$tmp/$d/sys" "$tmp/$d/dev"
	cp "$cache/busybox" "$tmp/$d/bin/busybox"
	ln -s busybox "$tmp/$d/bin/sh"
	cp "$here/init-boot.sh" "$tmp/$d/init"
	chmod +x "$tmp/$d/init" "$tmp/$d/bin/busybox"
done
(cd "$tmp/inner" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$tmp/outer/initrd.img"
cp "$cache/kexec-static" "$tmp/outer/kexec"
cp "$cache/debian-vmlinux" "$tmp/outer/vmlinux"
cp "$g/kexec_purgatory" "$tmp/outer/kexec_purgatory"
(cd "$tmp/outer" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/initrd"

t0=$SECONDS
flock /tmp/ukexec-qemu.lock timeout 240 qemu-system-ppc64 -M pseries -cpu power9 -accel tcg -m 2G \
	-nographic -no-reboot -kernel "$cache/debian-vmlinux" -initrd "$tmp/initrd" \
	-append "console=hvc0 panic=-1 quiet" </dev/null 2>&1 | tr -d '\r' >"$tmp/console"
secs=$((SECONDS - t0))

echo "1..4"
if grep -aq '^UKEXEC-LOADED rc=0' "$tmp/console"; then
	echo "ok 1 - kexec -l of Debian's vmlinux in the guest ($(grep -ao 'UKEXEC-FIRST-KERNEL .*' "$tmp/console" | cut -d' ' -f2-))"
	grep -a '^segment\[\|^entry =' "$tmp/console" | sed 's/^/# /'
else
	echo "not ok 1 - kexec -l of Debian's vmlinux in the guest"
	tail -30 "$tmp/console" | sed 's/^/# /'
fi
grep -aq 'kexec_file_load: .*falling back to the userspace plan and kexec_load' "$tmp/console"
st=$?
[ $st -eq 0 ] && echo "ok 2 - kexec_file_load refused (no KEXEC_FILE): the userspace plan through kexec_load" ||
	echo "not ok 2 - no fallback from kexec_file_load to kexec_load in the console"
line=$(grep -a '^UKEXEC-SECOND-KERNEL' "$tmp/console")
case $line in
*ukexec.second*)
	echo "ok 3 - kexec -e: the second kernel booted with its command line ($secs s)" ;;
*)
	echo "not ok 3 - kexec -e: no second kernel with ukexec.second ($secs s)"
	tail -30 "$tmp/console" | sed 's/^/# /' ;;
esac
# the plan's initrd segment: the one of the second initramfs' size
size=$(printf '0x%x' "$(stat -c %s "$tmp/outer/initrd.img")")
want=$(grep -a "^segment\[.*bufsz=$size " "$tmp/console" | sed 's/.* mem=0x\([0-9a-f]*\) .*/\1/')
got=$(grep -a '^UKEXEC-SECOND-INITRD' "$tmp/console" | awk '{ print $2 }')
if [ -n "$want" ] && [ -n "$got" ] && [ $((0x$got)) -eq $((0x$want)) ]; then
	echo "ok 4 - the second kernel's device tree puts its initrd at the plan's 0x$want"
else
	echo "not ok 4 - the second kernel's device tree: initrd at 0x${got:-?}, the plan's at 0x${want:-?}"
fi
grep -aq '^UKEXEC-LOADED rc=0' "$tmp/console" && [ $st -eq 0 ] && [[ $line == *ukexec.second* ]] &&
	[ -n "$want" ] && [ "$((0x${got:-0}))" -eq "$((0x$want))" ]
