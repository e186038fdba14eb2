# Shared by tests/e2e-arm64/{boot,boot-debian,kdump,load-oracle}.sh (sourced): the
# inputs (Debian's arm64 busybox and kernel, the 6.1 oracle kernel), a static
# arm64 build of ukexec with the kernel source's libfdt, and tests/lib/qemu.sh
# (the QEMU library of every architecture) set up for arm64.
#
#   arm64_skip WHY           TAP skip (exit 77 alone, 0 under make)
#   arm64_need_tools         skips without the cross compiler, QEMU, cpio,
#                            linux-source-6.1
#   arm64_debian_inputs      $busybox, $debian_kernel (scripts/fetch-arm64)
#   arm64_oracle_kernel      $image: the 6.1 oracle kernel
#                            (scripts/build-arm64-kernel, cached)
#   arm64_need_build TARGET...  $arm64_build: a static arm64 build of this
#                            source tree in which TARGETs are made
#   arm64_debian_boot NEXT APPEND [FILE=SRC...]
#                            boot-debian.sh's and kdump.sh's one boot of
#                            Debian's kernel running init-kdump.sh
#   ok, not_ok, stepline, arm64_debian_finish  their TAP lines (below)
#
#   UKEXEC_ARM64_CACHE    the cache directory (default tests/e2e-arm64/cache)
#   UKEXEC_ARM64_BUSYBOX  a static arm64 busybox (default: Debian's)
#   UKEXEC_ARM64_IMAGE    the oracle kernel (default: scripts/build-arm64-kernel)
#   UKEXEC_ARM64_BUILD    a static arm64 build directory with the TARGETs made
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_srcdir=$(cd "$top_srcdir" && pwd)
e2e_dir=$top_srcdir/tests/e2e-arm64
cache=${UKEXEC_ARM64_CACHE:-$e2e_dir/cache}
linux_src=/usr/src/linux-source-6.1.tar.xz
. "$top_srcdir/tests/lib/qemu.sh"
qemu_arch arm64

arm64_skip() {
	echo "1..0 # SKIP $*"
	[ -n "${top_builddir:-}" ] && exit 0
	exit 77
}

# arm64_bail WHY [LOG]: one failed TAP test (the set-up failed), LOG's tail
arm64_bail() {
	echo "1..1"
	echo "not ok 1 - $1"
	[ -z "${2:-}" ] || tail -n 20 "$2" | sed 's/^/# /'
	exit 1
}

arm64_need_tools() {
	local t
	for t in aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu qemu-system-aarch64:qemu-system-arm \
		cpio:cpio bc:bc flex:flex bison:bison; do
		command -v "${t%%:*}" >/dev/null || arm64_skip "no ${t%%:*} (apt-get install ${t#*:})"
	done
	[ -s "$linux_src" ] || arm64_skip "no $linux_src (apt-get install linux-source-6.1)"
}

# Debian's busybox and kernel, downloaded once into the cache
arm64_debian_inputs() {
	local log
	mkdir -p "$cache"
	log=$(mktemp) || exit 1
	"$top_srcdir/scripts/fetch-arm64" "$cache" >"$log" 2>&1 ||
		{ sed 's/^/# /' "$log"; rm -f "$log"; arm64_bail "scripts/fetch-arm64 $cache"; }
	rm -f "$log"
	busybox=${UKEXEC_ARM64_BUSYBOX:-$cache/busybox}
	debian_kernel=$cache/vmlinuz
	[ -s "$busybox" ] || arm64_bail "no arm64 busybox at $busybox"
	[ -s "$debian_kernel" ] || arm64_bail "no Debian arm64 kernel at $debian_kernel"
}

arm64_oracle_kernel() {
	local log kdir
	image=${UKEXEC_ARM64_IMAGE:-}
	if [ -z "$image" ]; then
		log=$(mktemp) || exit 1
		kdir=$("$top_srcdir/scripts/build-arm64-kernel" 2>"$log") ||
			{ sed 's/^/# /' "$log"; rm -f "$log"; arm64_bail "scripts/build-arm64-kernel"; }
		sed 's/^/# /' "$log"
		rm -f "$log"
		image=$kdir/Image
	fi
	[ -s "$image" ] || arm64_bail "no arm64 kernel at $image"
}

# libfdt for arm64 from the kernel source's scripts/dtc/libfdt (Debian 12 has
# no installable arm64 libfdt-dev), plus fdt-check-full.c, which it lacks
arm64_libfdt() {
	local c
	fdt=$cache/libfdt
	[ -s "$fdt/lib/libfdt.a" ] && return 0
	rm -rf "$fdt" && mkdir -p "$fdt/src" "$fdt/include" "$fdt/lib" &&
		tar -xJf "$linux_src" -C "$fdt/src" --strip-components=4 \
			--wildcards 'linux-source-6.1/scripts/dtc/libfdt/*' &&
		cp "$fdt/src/libfdt.h" "$fdt/src/fdt.h" "$fdt/src/libfdt_env.h" "$fdt/include/" &&
		for c in "$fdt"/src/*.c "$e2e_dir/fdt-check-full.c"; do
			aarch64-linux-gnu-gcc -O2 -I"$fdt/src" -c -o "$fdt/src/$(basename "$c" .c).o" "$c" || return 1
		done &&
		aarch64-linux-gnu-ar rcs "$fdt/lib/libfdt.a" "$fdt"/src/*.o ||
		{ rm -rf "$fdt"; return 1; }
}

# arm64_need_build TARGET...: the static arm64 build of this source tree. The
# cache may be shared by several clones (a symlink): the build directory is
# keyed by the source directory, so each builds its own sources.
arm64_need_build() {
	local key t
	if [ -n "${UKEXEC_ARM64_BUILD:-}" ]; then
		arm64_build=$UKEXEC_ARM64_BUILD
	else
		key=$(printf '%s' "$top_srcdir" | cksum | cut -d' ' -f1)
		arm64_build=$cache/build-static-$key
		mkdir -p "$arm64_build"
		exec 9>"$cache/build.lock"
		flock 9
		arm64_libfdt || { flock -u 9; arm64_bail "libfdt for arm64 from $linux_src"; }
		if [ ! -f "$arm64_build/Makefile" ]; then
			# make check exports the host's CC, LD and NM: not for a cross build
			(cd "$arm64_build" && env -u CC -u LD -u NM LIBFDT_CFLAGS="-I$fdt/include" \
				LIBFDT_LIBS="$fdt/lib/libfdt.a" "$top_srcdir/configure" --host=aarch64-linux-gnu \
				--without-zlib --without-lzma --without-zstd LDFLAGS=-static >configure.log 2>&1) ||
				{ flock -u 9; arm64_bail "arm64 static configure: $arm64_build/configure.log"; }
		fi
		env -u CC -u LD -u NM make -C "$arm64_build" -j2 "$@" >"$arm64_build/make.log" 2>&1 ||
			{ flock -u 9; arm64_bail "arm64 static build: $arm64_build/make.log" "$arm64_build/make.log"; }
		flock -u 9
	fi
	for t in "$@"; do
		[ -s "$arm64_build/$t" ] || arm64_bail "no $t in the arm64 build $arm64_build"
	done
}

# arm64_debian_boot NEXT APPEND [FILE=SRC...]: the one boot of boot-debian.sh
# and kdump.sh: Debian's kernel, /init init-kdump.sh with the static kexec,
# the same kernel as /Image and /initrd2, the next kernel's initramfs
# (busybox, the same /init, the FILEs; NEXT names that kernel in a failure).
# Sets $tmp (removed at exit), $log (the console without CRs), $st (QEMU's
# exit status) and $version (the kernel's release).
arm64_debian_boot() {
	local next=$1 append=$2
	shift 2
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	qemu_initramfs "$tmp/initrd2" "$busybox" "$e2e_dir/init-kdump.sh" "$@" ||
		arm64_bail "the $next kernel's initramfs"
	qemu_initramfs "$tmp/initrd1" "$busybox" "$e2e_dir/init-kdump.sh" \
		kexec="$arm64_build/kexec/kexec" Image="$debian_kernel" initrd2="$tmp/initrd2" ||
		arm64_bail "the first kernel's initramfs"
	st=0
	qemu_boot "$tmp/console.log" "${UKEXEC_ARM64_TIMEOUT:-300}" "$debian_kernel" "$tmp/initrd1" \
		"$append" || st=$?
	tr -d '\r' < "$tmp/console.log" > "$tmp/console"
	log=$tmp/console
	version=$(cat "$cache/kernel-version")
}

# The TAP lines of arm64_debian_boot's scripts: ok N TEXT; not_ok N TEXT
# (counted in nfail) with the lines of the console the script's
# console_excerpt picks; stepline NAME: "EXIT CRASH_LOADED LOADED" of a
# step of init-kdump.sh; arm64_debian_finish NAME: on a failure the console
# is kept in ${TMPDIR:-/tmp}/ukexec-arm64-NAME.log; status: no failure.
nfail=0
ok() { echo "ok $1 - $2"; }
not_ok() {
	nfail=$((nfail + 1))
	echo "not ok $1 - $2"
	console_excerpt | sed 's/^/# /'
}
stepline() { qemu_field "$log" "UKEXEC-STEP $1"; }
arm64_debian_finish() {
	if [ $nfail -gt 0 ]; then
		cp "$log" "${TMPDIR:-/tmp}/ukexec-arm64-$1.log" &&
			echo "# log: ${TMPDIR:-/tmp}/ukexec-arm64-$1.log"
	fi
	[ $nfail -eq 0 ]
}
