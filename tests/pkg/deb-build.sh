#!/bin/bash
# Builds the Debian package from a scratch copy of HEAD (git archive) and
# checks what it installs, the control fields that let it replace
# kexec-tools, and lintian. Prints TAP. Needs debhelper, lintian, and the
# build dependencies of debian/control. About 20 s with parallel=1 nocheck.
#   tests/pkg/deb-build.sh [treeish]     (default HEAD)
set -uo pipefail

treeish=${1:-HEAD}
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 1
scratch=$(mktemp -d /tmp/ukexec-deb.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

. "$top/tests/pkg/lib.sh"

echo "1..16"
build_deb "$treeish" "$scratch" || { echo "Bail out! no package built"; exit 1; }
ok "dpkg-buildpackage -us -uc -b"

deb=$(ls "$scratch"/ukexec_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "Bail out! no ukexec_*.deb built"; exit 1; }
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's,^\./,/,' >"$scratch/files"
dpkg-deb -e "$deb" "$scratch/control"

has_file() { grep -qx "$1" "$scratch/files"; }
for f in /usr/sbin/kexec /usr/sbin/vmcore-dmesg \
	 /usr/share/man/man8/kexec.8.gz /usr/share/man/man8/vmcore-dmesg.8.gz \
	 /etc/init.d/kexec /etc/init.d/kexec-load /etc/default/kexec.d/ \
	 /usr/lib/systemd/system/kexec.service \
	 /usr/share/doc/ukexec/README.Debian; do
	check "ships $f" has_file "$f"
done

field() { dpkg-deb -f "$deb" "$1"; }
names_kexec_tools() { field "$1" | tr ',' '\n' | sed 's/[[:space:]]//g; s/(.*//' | grep -qx kexec-tools; }
for f in Provides Conflicts Replaces; do
	check "$f: kexec-tools" names_kexec_tools "$f"
done

postinst_writes_default() {
	root="$scratch/root"
	mkdir -p "$root/etc/default"
	# Run only the part before the debhelper snippets, against a fake /etc.
	sed -n '1,/^#DEBHELPER#\|^# Automatically added/p' "$scratch/control/postinst" |
		sed "s,/etc/default/kexec,$root/etc/default/kexec,g" >"$scratch/postinst.head"
	sh "$scratch/postinst.head" configure >/dev/null 2>&1
	. "$root/etc/default/kexec" &&
	[ "$LOAD_KEXEC" = false ] && [ "$KERNEL_IMAGE" = /vmlinuz ] &&
	[ "$INITRD" = /initrd.img ] && [ -z "$APPEND" ] && [ "$USE_GRUB_CONFIG" = false ]
}
check "postinst writes /etc/default/kexec with kexec-tools' variables" postinst_writes_default

# kexec-load's reboot path, with kexec, /etc, /sys and lsb stubbed: it must
# call kexec -l the way kexec-tools' script does.
kexec_load_calls_kexec() {
	w="$scratch/kl"
	mkdir -p "$w/x"
	dpkg-deb -x "$deb" "$w/x"
	printf '#!/bin/sh\necho "$@" > %s/args\n' "$w" >"$w/kexec"
	chmod +x "$w/kexec"
	echo 0 >"$w/loaded"
	printf 'LOAD_KEXEC=true\nKERNEL_IMAGE=/boot/vmlinuz-x\nINITRD=/boot/initrd-x\nAPPEND="root=/dev/vda ro"\n' >"$w/default"
	sed -e "s,^KEXEC=.*,KEXEC=$w/kexec," -e "s,/etc/default/kexec,$w/default,g" \
	    -e "s,/sys/kernel/kexec_loaded,$w/loaded," -e 's,^\. /lib/lsb/init-functions,,' \
	    -e '/^case "\$1" in/,$d' "$w/x/etc/init.d/kexec-load" >"$w/kexec-load"
	sh -c ". '$w/kexec-load'; log_action_begin_msg() { :; }; log_action_end_msg() { :; }; do_stop" &&
	[ "$(cat "$w/args")" = "-l /boot/vmlinuz-x --initrd=/boot/initrd-x --append=root=/dev/vda ro" ]
}
check "kexec-load runs kexec -l KERNEL --initrd= --append= from /etc/default/kexec" kexec_load_calls_kexec

changes=$(ls "$scratch"/ukexec_*.changes | head -n 1)
lintian --pedantic "$changes" >"$scratch/lintian" 2>&1
sed 's/^/# lintian: /' "$scratch/lintian"
lintian_clean() { ! grep -q '^[EWIPX]: ' "$scratch/lintian"; }
check "lintian --pedantic has no error, warning, info, pedantic or experimental tag" lintian_clean

[ "$failed" -eq 0 ]
