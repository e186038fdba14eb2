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
#              (tests/e2e-ppc64/static-cross.sh). UKEXEC_PPC64_TIMEOUT: the
#              guest's seconds (240). QEMU's gdbstub stops the guest at the
#              second kernel's first instruction for its registers.
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
trap '[ -n "${UKEXEC_KEEP:-}" ] && cp "$tmp/console" /tmp/ukexec-ppc64-boot.console; rm -rf "$tmp"' EXIT

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

# The gdb side: once the guest has loaded (its /init then sleeps 8 s before
# kexec -e), attach, a breakpoint at the kernel segment's address, continue;
# at the stop (real mode: MSR IR/DR off) the registers the purgatory left:
# "r3 r4 r5 msr", then on without the breakpoint.
#   gdbentry GDBSOCK CONSOLE TIMEOUT
gdbentry='
import re, sys, time
sys.path.insert(0, sys.argv[1])
from gdbdump import GDB
gsock, console, tmo = sys.argv[2], sys.argv[3], float(sys.argv[4])
deadline = time.monotonic() + tmo
kernel = None
while kernel is None:
    if time.monotonic() > deadline:
        sys.exit("no loaded plan on the console")
    text = open(console, "rb").read().decode("latin-1")
    m = re.search(r"^segment\[0\]: buf=\S+ bufsz=\S+ mem=(0x[0-9a-f]+)", text, re.M)
    if m and "UKEXEC-LOADED rc=0" in text:
        kernel = int(m.group(1), 16)
    else:
        time.sleep(0.2)
g = GDB(gsock)
g.drain()
g.cmd("?")
# QEMU 7.2 answers "p" (pc 64, msr 65) only once the client has read the
# target description (and asserts on a ppc64 "g" without it)
g.cmd("qXfer:features:read:target.xml:0,ffb")
if g.cmd("Z1,%x,4" % kernel) != "OK":
    sys.exit("Z1 refused")
seen = []
for stops in range(5):
    g.send("c")
    stop = g.recv(max(1.0, deadline - time.monotonic()))
    def reg(n):
        a = g.cmd("p%x" % n)
        v = bytes.fromhex(a) if re.fullmatch(r"([0-9a-f]{2})+", a) else b""
        return [int.from_bytes(v, "big"), int.from_bytes(v, "little")]
    pcs, msrs = reg(64), reg(65)
    for o in (0, 1):                # target order, or swapped for an LE guest
        if pcs[o] == kernel and not msrs[o] & 0x30:
            r = [reg(i)[o] for i in (3, 4, 5)]
            print("UKEXEC-ENTRY r3=0x%x r4=0x%x r5=0x%x msr=0x%x" % (r[0], r[1], r[2], msrs[o]))
            g.cmd("z1,%x,4" % kernel)
            g.send("c")
            sys.exit(0)
    seen.append("%s pc=%s msr=%s" % (stop, [hex(x) for x in pcs], [hex(x) for x in msrs]))
g.cmd("z1,%x,4" % kernel)
g.send("c")                         # let the guest go on without us
sys.exit("5 stops, none at 0x%x in real mode: %s" % (kernel, "; ".join(seen)))
'

t0=$SECONDS
exec 8>/tmp/ukexec-qemu.lock
flock 8
timeout "${UKEXEC_PPC64_TIMEOUT:-240}" qemu-system-ppc64 -M pseries -cpu power9 -accel tcg -m 2G \
	-nographic -no-reboot -kernel "$cache/debian-vmlinux" -initrd "$tmp/initrd" \
	-chardev socket,id=g,path="$tmp/gdb",server=on,wait=off -gdb chardev:g \
	-append "console=hvc0 panic=-1 quiet" </dev/null 2>&1 | stdbuf -o0 tr -d '\r' >"$tmp/console" &
qemu=$!
python3 -c "$gdbentry" "$top/tests/lib" "$tmp/gdb" "$tmp/console" 200 >"$tmp/entry" 2>&1
[ -n "${UKEXEC_KEEP:-}" ] && cp "$tmp/entry" /tmp/ukexec-ppc64-boot.entry
wait $qemu
flock -u 8
secs=$((SECONDS - t0))

echo "1..5"
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
# at the second kernel's first instruction: r3 = the device tree, r4 = the
# kernel, r5 = 0, as the kernel's purgatory leaves them
fdt=$(grep -a '^segment\[' "$tmp/console" | sed -n 's/.* bufsz=\(0x[0-9a-f]*\) mem=\(0x[0-9a-f]*\) .*/\1 \2/p' |
	while read -r sz mem; do [ "$sz" != "$size" ] && [ $((sz)) -lt $((0x10000)) ] && [ $((sz)) -gt $((0x1000)) ] && echo "$mem"; done | tail -1)
kmem=$(grep -a '^segment\[0\]' "$tmp/console" | sed 's/.* mem=\(0x[0-9a-f]*\) .*/\1/')
entry=$(grep -a '^UKEXEC-ENTRY' "$tmp/entry")
[ -n "$fdt" ] && [ -n "$kmem" ] && [[ $entry == *" r3=$fdt r4=$kmem r5=0x0 "* ]]
st5=$?
[ $st5 -eq 0 ] && echo "ok 5 - at the kernel's entry (real mode): ${entry#UKEXEC-ENTRY } (r3 = the device tree, r4 = the kernel)" ||
	echo "not ok 5 - at the kernel's entry: ${entry:-$(head -c 300 "$tmp/entry")}; want r3=${fdt:-?} r4=${kmem:-?} r5=0x0"
grep -aq '^UKEXEC-LOADED rc=0' "$tmp/console" && [ $st -eq 0 ] && [[ $line == *ukexec.second* ]] &&
	[ -n "$want" ] && [ "$((0x${got:-0}))" -eq "$((0x$want))" ] && [ $st5 -eq 0 ]
