#!/bin/bash
# kdump-tools end to end in a real Debian 12 amd64 guest with the ukexec
# package in place of kexec-tools. Prints TAP.
#
# The guest image (debootstrap bookworm: systemd, linux-image-amd64,
# makedumpfile and kdump-tools' other dependencies, no kexec-tools) is
# built once and cached in ${UKEXEC_GUEST_CACHE:-/var/cache/ukexec}/
# debian12-kdump-<hash of build_image, the mirror and the pinned versions>
# with kdump-tools' .deb beside it. Every package's version is pinned in
# tests/pkg/kdump-guest.versions: a mirror that gives others (a point
# release) fails the build with the difference, and a new pin is a new key.
# Each run rebuilds the ukexec .deb from the clone (git archive HEAD) and
# boots a qcow2 overlay of the cached image, so the cache never holds ukexec.
# A second disk (ext4, made with mkfs.ext4 -d, no mount) carries the .debs
# and the driver script, which a oneshot unit of the image runs at each boot:
#   boot 1: dpkg -i ukexec + kdump-tools, kdump-tools.service loads the
#           crash kernel through ukexec, marker to /dev/kmsg, sysrq c
#   crash kernel: kdump-tools-dump.service saves dump + dmesg, reboots
#   boot 2: the saved dmesg holds the marker; kexec -l + systemctl kexec
#   second kernel: its command line holds the marker; poweroff
# The guest prints "UKEXEC-GUEST ..." lines on the serial console; the
# TAP lines are read from them.
#   tests/pkg/kdump-guest.sh [treeish]      (default HEAD)
# UKEXEC_E2E_ACCEL=kvm uses KVM, else TCG. Needs debootstrap (first run,
# network), dpkg-buildpackage + debhelper, qemu-system-x86_64, qemu-img.
set -uo pipefail

treeish=${1:-HEAD}
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 1
cache_root=${UKEXEC_GUEST_CACHE:-/var/cache/ukexec}
mirror=${UKEXEC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
guest_timeout=${UKEXEC_GUEST_TIMEOUT:-1500}
qemu_lock=/tmp/ukexec-qemu.lock
pins=$top/tests/pkg/kdump-guest.versions

log() { echo "# $*"; }
. "$top/tests/pkg/lib.sh"

# image_versions ROOT DEB: "package version" of every package installed in
# ROOT and of the .deb DEB, sorted
image_versions() {
	{
		dpkg-query --admindir="$1/var/lib/dpkg" -W -f '${db:Status-Abbrev} ${Package} ${Version}\n' |
			awk '$1 == "ii" { print $2, $3 }'
		echo "kdump-tools $(dpkg-deb -f "$2" Version)"
	} | LC_ALL=C sort
}

# build_image DIR: debootstrap bookworm into DIR/root, check that the
# mirror gave the pinned versions (tests/pkg/kdump-guest.versions), set it up to run the
# driver of the payload disk at boot, pack it as DIR/disk.raw (ext4)
build_image() {
	local dir=$1 root=$1/root
	local include=systemd,systemd-sysv,udev,kmod,e2fsprogs,linux-image-amd64
	include=$include,initramfs-tools,makedumpfile,bsdextrautils,busybox,file
	include=$include,linux-base,lsb-base,ucf,debconf,procps,zstd
	# the run-time libraries of the ukexec package (dpkg -i installs no dependencies)
	include=$include,libfdt1,liblzma5,libzstd1,zlib1g
	debootstrap --variant=minbase --include="$include" bookworm "$root" "$mirror" \
		>"$dir/debootstrap.log" 2>&1 || { tail -n 20 "$dir/debootstrap.log"; return 1; }
	(cd "$dir" && apt-get download kdump-tools) >>"$dir/debootstrap.log" 2>&1 || return 1
	image_versions "$root" "$dir"/kdump-tools_*.deb >"$dir/versions"
	if ! grep -v '^#' "$pins" | cmp -s - "$dir/versions"; then
		cp "$dir/versions" "$cache_root/debian12-kdump.versions-got"
		echo "# $mirror bookworm gave other versions than $pins pins:"
		grep -v '^#' "$pins" | diff - "$dir/versions" | grep '^[<>]' | head -n 20 | sed 's/^/#   /'
		echo "# to pin what it gives now (a new image): copy $cache_root/debian12-kdump.versions-got's lines into $pins"
		return 1
	fi
	echo debian12-kdump >"$root/etc/hostname"
	# the initramfs that dpkg's trigger rebuilds in the guest (kdump-tools
	# ships hooks): only the modules this machine uses, else it takes
	# over 5 minutes under TCG. /boot's first one, built here, keeps "most".
	sed -i 's/^MODULES=.*/MODULES=dep/' "$root/etc/initramfs-tools/initramfs.conf"
	echo '/dev/vda / ext4 defaults 0 1' >"$root/etc/fstab"
	cat >"$root/etc/systemd/system/ukexec-guest.service" <<-'EOF'
	[Unit]
	Description=ukexec guest test driver (payload disk /dev/vdb)
	After=local-fs.target
	Wants=local-fs.target
	ConditionKernelCommandLine=!systemd.unit=kdump-tools-dump.service

	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'mkdir -p /payload && mount -o ro /dev/vdb /payload && exec /bin/sh /payload/drive.sh'
	StandardOutput=journal+console
	StandardError=journal+console

	[Install]
	WantedBy=multi-user.target
	EOF
	ln -s /etc/systemd/system/ukexec-guest.service \
		"$root/etc/systemd/system/multi-user.target.wants/ukexec-guest.service"
	# nothing that slows a TCG boot and is not under test
	for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
		 fstrim.timer systemd-timesyncd.service; do
		ln -sf /dev/null "$root/etc/systemd/system/$u"
	done
	rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*_Packages
	mkfs.ext4 -q -F -L debian12 -d "$root" "$dir/disk.raw" 3G || return 1
	rm -rf "$root"
}

# the cache key: the recipe, the mirror and the pinned versions
recipe=$(declare -f image_versions build_image; echo "$mirror"; cat "$pins")
hash=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
image_dir=$cache_root/debian12-kdump-$hash

ensure_image() {
	[ -f "$image_dir/disk.raw" ] && return 0
	local tmp
	mkdir -p "$cache_root" || return 1
	# one builder per recipe: a second run waits, then finds the image
	exec 8>"$image_dir.lock" && flock 8 || return 1
	[ -f "$image_dir/disk.raw" ] && return 0
	tmp=$(mktemp -d "$cache_root/.debian12-kdump.XXXXXX") || return 1
	log "building the guest image in $image_dir (debootstrap, a few minutes)"
	# mkfs.ext4 -q still says "Creating regular file": keep the output TAP comments
	if ! build_image "$tmp" | sed 's/^[^#]/# &/'; then
		rm -rf "$tmp"
		return 1
	fi
	mv -T "$tmp" "$image_dir" 2>/dev/null || rm -rf "$tmp"
	[ -f "$image_dir/disk.raw" ]
}

# need_tools: install what is missing (Debian 12 host)
need_tools() {
	local missing=() sudo= pair
	for pair in debootstrap:debootstrap dpkg-buildpackage:dpkg-dev dh:debhelper \
		    qemu-img:qemu-utils qemu-system-x86_64:qemu-system-x86 \
		    debugfs:e2fsprogs mkfs.ext4:e2fsprogs; do
		command -v "${pair%%:*}" >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v "${pair%%:*}" >/dev/null ||
			missing+=("${pair#*:}")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null 2>&1
}
export PATH=$PATH:/usr/sbin:/sbin

if ! need_tools; then
	echo "1..0 # SKIP cannot install debootstrap/debhelper/qemu (apt-get failed)"
	exit 77
fi
if [ "${1:-}" = --image-only ]; then
	ensure_image
	exit
fi

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
scratch=$(mktemp -d /tmp/ukexec-kdump-guest.XXXXXX)
keep_scratch() { rm -rf "$scratch/src" "$scratch/overlay.qcow2" "$scratch/payload.raw"; }
trap keep_scratch EXIT

echo "1..9"
t0=$SECONDS
ensure_image || { echo "Bail out! no guest image (debootstrap from $mirror, or the pinned versions: see above)"; exit 1; }
ok "guest image $image_dir ($((SECONDS - t0)) s)"

t0=$SECONDS
mkdir "$scratch/payload"
build_deb "$treeish" "$scratch" || { echo "Bail out! no package built"; exit 1; }
ok "dpkg-buildpackage -us -uc -b from $treeish ($((SECONDS - t0)) s)"

# the payload disk: both .debs, the driver, this run's marker
marker=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
cp "$scratch"/ukexec_*.deb "$image_dir"/kdump-tools_*.deb "$scratch/payload/" &&
cp "$scratch/src/tests/pkg/kdump-guest-drive.sh" "$scratch/payload/drive.sh" &&
echo "$marker" >"$scratch/payload/marker" &&
mkfs.ext4 -q -F -L payload -d "$scratch/payload" "$scratch/payload.raw" 64M >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the payload disk"; exit 1; }

# the image's own kernel and initrd, read out of the ext4 image
kver=$(debugfs -R 'ls -p /boot' "$image_dir/disk.raw" 2>/dev/null |
	awk -F/ '$6 ~ /^vmlinuz-/ { sub(/^vmlinuz-/, "", $6); print $6 }' | sort -V | tail -n 1)
[ -n "$kver" ] || { echo "Bail out! no /boot/vmlinuz-* in $image_dir/disk.raw"; exit 1; }
for f in vmlinuz initrd.img; do
	debugfs -R "dump /boot/$f-$kver $scratch/$f" "$image_dir/disk.raw" >/dev/null 2>&1
	[ -s "$scratch/$f" ] || { echo "Bail out! cannot read /boot/$f-$kver from the image"; exit 1; }
done
qemu-img create -q -f qcow2 -F raw -b "$image_dir/disk.raw" "$scratch/overlay.qcow2" ||
	{ echo "Bail out! qemu-img create failed"; exit 1; }

if [ "${UKEXEC_E2E_ACCEL:-tcg}" = kvm ]; then accel=(-accel kvm -cpu host); else accel=(-accel tcg -cpu max); fi
log "guest $kver, marker $marker, console log $scratch/console.log"
t0=$SECONDS
flock "$qemu_lock" timeout --foreground -k 5 "$guest_timeout" qemu-system-x86_64 "${accel[@]}" \
	-m 2G -smp 1 -nographic -nic none \
	-kernel "$scratch/vmlinuz" -initrd "$scratch/initrd.img" \
	-append "root=/dev/vda rw console=ttyS0 crashkernel=384M panic=5" \
	-drive file="$scratch/overlay.qcow2",if=virtio,format=qcow2 \
	-drive file="$scratch/payload.raw",if=virtio,format=raw,readonly=on \
	</dev/null >"$scratch/console.log" 2>&1
st=$?
secs=$((SECONDS - t0))
tr -d '\r' <"$scratch/console.log" >"$scratch/console.txt"
# a line may start after a getty prompt or a kernel message: match anywhere
grep -ao 'UKEXEC-GUEST .*' "$scratch/console.txt" | sed 's/^/# /'
log "QEMU exit $st after $secs s, the wait for $qemu_lock included (4 boots: boot1, crash kernel, boot2, second kernel)"

seen() { grep -aq "$1" "$scratch/console.txt"; }
check() { if seen "$2"; then ok "$1"; else not_ok "$1"; fi; }
check "boot1: dpkg -i put ukexec in place of kexec-tools" \
	'UKEXEC-GUEST boot1 | ukexec: /usr/sbin/kexec$'
check "boot1: kdump-tools.service loaded the crash kernel through ukexec (ready to kdump)" \
	'UKEXEC-GUEST boot1 kdump OK'
check "crash kernel: kdump-tools saved the dump with makedumpfile and rebooted" \
	'UKEXEC-GUEST boot2 after the crash'
check "boot2: the saved dmesg holds the marker written before the crash" \
	"UKEXEC-GUEST boot2 dmesg holds marker: .*UKEXEC-MARKER $marker"
check "boot2: kdump-tools.service loads the crash kernel at boot" \
	'UKEXEC-GUEST boot2 kdump OK'
check "boot2: kexec -l + systemctl kexec" 'UKEXEC-GUEST boot2 systemctl kexec'
check "second kernel: its command line holds the marker" 'UKEXEC-GUEST second OK'
[ $failed -eq 0 ] || log "console log kept: $scratch/console.txt"
[ $failed -eq 0 ] && rm -rf "$scratch"
exit $((failed > 0))
