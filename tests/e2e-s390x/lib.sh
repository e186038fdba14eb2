# Shared by tests/e2e-s390x/*.sh (sourced): the inputs, a static s390x
# build of ukexec made with Debian's cross compiler, and tests/lib/qemu.sh
# (the QEMU library of every architecture) set up for s390x.
#
#   UKEXEC_S390X_BUILD  an s390x build directory to use (kexec/kexec and
#                       purgatory/purgatory.ro); default: built here, in
#                       $cache/build, from this source tree.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_srcdir=$(cd "$top_srcdir" && pwd)
e2e_dir=$top_srcdir/tests/e2e-s390x
cache=${UKEXEC_S390X_CACHE:-$e2e_dir/cache}
# the QEMU library of every architecture: qemu_boot, qemu_seen, qemu_field...
. "$top_srcdir/tests/lib/qemu.sh"
qemu_arch s390x

# Skip: TAP's "1..0 # SKIP" under make (the tap driver), exit 77 alone.
s390x_skip() {
	echo "1..0 # SKIP $*"
	[ -n "${top_builddir:-}" ] && exit 0
	exit 77
}

s390x_need_inputs() {
	[ -s "$cache/vmlinuz" ] && [ -s "$cache/busybox" ] ||
		s390x_skip "no Debian s390x kernel/busybox in $cache (run scripts/fetch-s390x)"
}

# s390x_need_build TARGET...: sets s390x_build to an s390x build directory
# in which TARGETs (kexec/kexec, purgatory/purgatory.ro) are built.
s390x_need_build() {
	if [ -n "${UKEXEC_S390X_BUILD:-}" ]; then
		s390x_build=$UKEXEC_S390X_BUILD
	else
		command -v s390x-linux-gnu-gcc >/dev/null ||
			s390x_skip "no s390x-linux-gnu-gcc (apt-get install gcc-s390x-linux-gnu libc6-dev-s390x-cross)"
		s390x_build=$cache/build
		mkdir -p "$s390x_build"
		# one build at a time (make -j check, two host builds)
		exec 9>"$cache/build.lock"
		flock 9
		# a build configured with the host's compiler (make check's CC, before
		# the env -u below) is configured again
		if [ -f "$s390x_build/Makefile" ] &&
			! grep -q '^CC = s390x-linux-gnu-gcc' "$s390x_build/Makefile"; then
			rm -f "$s390x_build/Makefile"
		fi
		if [ ! -f "$s390x_build/Makefile" ]; then
			# make check exports the host's CC, LD and NM: not for a cross build
			(cd "$s390x_build" && env -u CC -u LD -u NM "$top_srcdir/configure" --host=s390x-linux-gnu \
				--without-zlib --without-lzma --without-zstd --without-libfdt LDFLAGS=-static \
				>configure.log 2>&1) ||
				{ echo "# s390x configure failed: $s390x_build/configure.log"; return 1; }
		fi
		make -C "$s390x_build" -j2 "$@" >"$s390x_build/make.log" 2>&1 ||
			{ echo "# s390x build failed: $s390x_build/make.log"; tail -5 "$s390x_build/make.log" | sed 's/^/# /'; flock -u 9; return 1; }
		flock -u 9
	fi
	local t
	for t in "$@"; do
		[ -s "$s390x_build/$t" ] || return 1
	done
}

# s390x_host_plan_tools: the host's kexec ($kexec: UKEXEC_HOST_KEXEC, else
# the build's) and an s390x purgatory ($purg) for dry runs; skips or fails
# (TAP) without them.
s390x_host_plan_tools() {
	command -v python3 >/dev/null || s390x_skip "no python3"
	kexec=${UKEXEC_HOST_KEXEC:-${top_builddir:-.}/kexec/kexec}
	[ -x "$kexec" ] || s390x_skip "no host kexec at $kexec"
	s390x_need_build purgatory/purgatory.ro ||
		{ echo "1..1"; echo "not ok 1 - s390x build of ukexec (for its purgatory)"; exit 1; }
	purg=$s390x_build/purgatory/purgatory.ro
}

# kdump_initrds DIR [FILE...]: the initramfs of the kdump kernel's guests
# (kdump.sh, load-oracle.sh), uncompressed (the guest unpacks it faster under
# TCG). DIR/initrd1: busybox, init-kdump.sh as /init, the s390x build's
# kexec, the kdump kernel as /vmlinuz (image) and /vmlinux (ELF), and
# /initrd2, the loaded kernel's: busybox, the same /init and the FILEs.
kdump_initrds() {
	local dir=$1 d f
	shift
	for d in r1 r2; do
		qemu_root "$dir/$d" "$cache/busybox" "$e2e_dir/init-kdump.sh"
	done
	for f in "$@"; do
		cp "$f" "$dir/r2/"
	done
	qemu_cpio "$dir/r2" "$dir/r1/initrd2"
	cp "$s390x_build/kexec/kexec" "$dir/r1/kexec"
	cp "$cache/kdump-kernel/bzImage" "$dir/r1/vmlinuz"
	cp "$cache/kdump-kernel/vmlinux" "$dir/r1/vmlinux"
	qemu_cpio "$dir/r1" "$dir/initrd1"
}
