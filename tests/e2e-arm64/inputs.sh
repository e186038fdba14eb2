# The inputs of the arm64 QEMU tests (sourced by boot.sh, load-oracle.sh):
# Debian's static arm64 busybox, the 6.1 oracle kernel and a static arm64
# build of ukexec. Set before sourcing: top_srcdir (absolute), e2e_dir, tmp
# (a scratch directory), and the functions skip WHY (exit 77 under make
# check: a missing package) and fail WHY (the test fails).
#   UKEXEC_ARM64_CACHE     where busybox, libfdt and the static build live
#                          (default tests/e2e-arm64/cache)
#   UKEXEC_ARM64_IMAGE     the kernel (default: scripts/build-arm64-kernel's
#                          cached build, built on first use, 4-8 minutes)
#   UKEXEC_ARM64_BUSYBOX   a static arm64 busybox (default: Debian's, by
#                          scripts/fetch-arm64 into the cache)
#   UKEXEC_ARM64_STATIC_BUILD  the static build's directory (default
#                          CACHE/build-static: one per clone; give another when
#                          two worktrees share a cache)
# Packages (scripts/deps): aarch64-linux-gnu-gcc, qemu-system-aarch64, cpio,
# bc, flex, bison and /usr/src/linux-source-6.1.tar.xz (the kernel's source;
# its scripts/dtc/libfdt is the arm64 libfdt of the static build;
# fdt-check-full.c adds what it lacks).
# arm64_inputs: sets busybox, image and static_kexec (the static ukexec).
arm64_inputs() {
	local cache=${UKEXEC_ARM64_CACHE:-$e2e_dir/cache} linux_src=/usr/src/linux-source-6.1.tar.xz
	local t kdir fdt build
	busybox=${UKEXEC_ARM64_BUSYBOX:-} image=${UKEXEC_ARM64_IMAGE:-}
	for t in aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu qemu-system-aarch64:qemu-system-arm \
		cpio:cpio bc:bc flex:flex bison:bison; do
		command -v "${t%%:*}" >/dev/null || skip "no ${t%%:*} (apt-get install ${t#*:})"
	done
	[ -s "$linux_src" ] || skip "no $linux_src (apt-get install linux-source-6.1)"

	mkdir -p "$cache"
	if [ -z "$busybox" ]; then
		"$top_srcdir/scripts/fetch-arm64" "$cache" >"$tmp/fetch.log" 2>&1 ||
			{ sed 's/^/# /' "$tmp/fetch.log"; fail "scripts/fetch-arm64 $cache"; }
		busybox=$cache/busybox
	fi
	[ -s "$busybox" ] || fail "no arm64 busybox at $busybox"
	if [ -z "$image" ]; then
		kdir=$("$top_srcdir/scripts/build-arm64-kernel" 2>"$tmp/kernel.log") ||
			{ sed 's/^/# /' "$tmp/kernel.log"; fail "scripts/build-arm64-kernel"; }
		sed 's/^/# /' "$tmp/kernel.log"
		image=$kdir/Image
	fi
	[ -s "$image" ] || fail "no arm64 kernel at $image"

	# the static arm64 ukexec, with the kernel source's libfdt
	exec 9>"$cache/build.lock"
	flock 9
	fdt=$cache/libfdt
	if [ ! -s "$fdt/lib/libfdt.a" ]; then
		rm -rf "$fdt" && mkdir -p "$fdt/src" "$fdt/include" "$fdt/lib" &&
			tar -xJf "$linux_src" -C "$fdt/src" --strip-components=4 \
				--wildcards 'linux-source-6.1/scripts/dtc/libfdt/*' &&
			cp "$fdt/src/libfdt.h" "$fdt/src/fdt.h" "$fdt/src/libfdt_env.h" "$fdt/include/" &&
			for c in "$fdt"/src/*.c "$e2e_dir/fdt-check-full.c"; do
				aarch64-linux-gnu-gcc -O2 -I"$fdt/src" -c -o "$fdt/src/$(basename "$c" .c).o" "$c" || exit 1
			done &&
			aarch64-linux-gnu-ar rcs "$fdt/lib/libfdt.a" "$fdt"/src/*.o ||
			{ rm -rf "$fdt"; fail "libfdt for arm64 from $linux_src"; }
	fi
	build=${UKEXEC_ARM64_STATIC_BUILD:-$cache/build-static}
	mkdir -p "$build"
	if [ ! -f "$build/Makefile" ]; then
		(cd "$build" && env -u CC -u LD -u NM LIBFDT_CFLAGS="-I$fdt/include" \
			LIBFDT_LIBS="$fdt/lib/libfdt.a" "$top_srcdir/configure" --host=aarch64-linux-gnu \
			--without-zlib --without-lzma --without-zstd LDFLAGS=-static >configure.log 2>&1) ||
			fail "arm64 static configure: $build/configure.log"
	fi
	env -u CC -u LD -u NM make -C "$build" -j2 kexec/kexec >"$build/make.log" 2>&1 ||
		fail "arm64 static build: $build/make.log"
	# a copy taken under the lock: another test may rebuild after it
	cp "$build/kexec/kexec" "$tmp/kexec-arm64" || fail "no $build/kexec/kexec"
	static_kexec=$tmp/kexec-arm64
	flock -u 9
	exec 9>&-
}
