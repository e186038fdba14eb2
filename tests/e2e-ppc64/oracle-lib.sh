# What the ppc64 QEMU byte oracles on the 6.1 oracle kernel share
# (crash-oracle.sh: -p, load-oracle.sh: -l); sourced after $here and $top
# are set. Sets cache (UKEXEC_PPC64_CACHE, default tests/e2e-ppc64/cache)
# and g (the recorded machine whose inputs both load: UKEXEC_PPC64_GOLDEN,
# default tests/golden/ppc64-pseries-6.1).
cache=${UKEXEC_PPC64_CACHE:-$here/cache}
g=${UKEXEC_PPC64_GOLDEN:-$top/tests/golden/ppc64-pseries-6.1}

# ppc64_oracle_need: exit 77 (a TAP skip) without a tool or an input; the
# oracle kernel (CACHE/vmlinux, doc/dev/next-arches/build-ppc64le.sh) is not
# built by CI
ppc64_oracle_need() {
	local t f
	for t in qemu-system-ppc64 powerpc64le-linux-gnu-gcc python3 cpio; do
		command -v $t >/dev/null || ppc64_oracle_skip "$t not found"
	done
	for f in vmlinux debian-vmlinux busybox kexec-static; do
		[ -s "$cache/$f" ] || ppc64_oracle_skip "no $cache/$f"
	done
	[ "$(sha256sum < "$cache/vmlinux" | cut -d' ' -f1)" = "$(awk '$1 == "oracle-vmlinux-sha256" { print $2 }' "$g/inputs")" ] ||
		ppc64_oracle_skip "$cache/vmlinux is not the oracle kernel of $g/inputs"
}
ppc64_oracle_skip() { echo "1..0 # SKIP $*"; exit 77; }

# ppc64_oracle_root DIR INIT: the guest's root: busybox, INIT as /init,
# kftest (kexec_file_load), kcore-read, the static ukexec as /kexec, Debian's
# vmlinux as /kernel, the recorded initrd.img and the oracle's kexec_purgatory
ppc64_oracle_root() {
	local r=$1
	mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" &&
		cp "$cache/busybox" "$r/bin/busybox" &&
		ln -sf busybox "$r/bin/sh" &&
		cp "$2" "$r/init" &&
		chmod +x "$r/init" &&
		powerpc64le-linux-gnu-gcc -static -O2 -o "$r/kftest" "$top/doc/dev/next-arches/kftest.c" &&
		powerpc64le-linux-gnu-gcc -static -O2 -o "$r/kcore-read" "$here/kcore-read.c" &&
		cp "$cache/kexec-static" "$r/kexec" &&
		cp "$cache/debian-vmlinux" "$r/kernel" &&
		cp "$g/initrd.img" "$r/initrd.img" &&
		cp "$g/kexec_purgatory" "$r/kexec_purgatory"
}
