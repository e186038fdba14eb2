# Shared by tests/pkg/deb-build.sh and tests/pkg/kdump-guest.sh (sourced;
# they set $top, the clone's top directory).

# build_deb TREEISH DIR: the ukexec package built from TREEISH of the clone
# (git archive into DIR/src, then dpkg-buildpackage -us -uc -b there), the
# .deb and .changes landing in DIR, the log in DIR/build.log. On failure:
# the log's tail as TAP comments and one line saying which step failed, 1.
build_deb() {
	local treeish=$1 dir=$2
	mkdir -p "$dir/src" || return 1
	if ! git -C "$top" archive "$treeish" | tar -x -C "$dir/src"; then
		echo "# git archive $treeish failed"
		return 1
	fi
	if ! (cd "$dir/src" &&
	      DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=1 nocheck}" \
	      dpkg-buildpackage -us -uc -b) >"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" | sed 's/^/# /'
		echo "# dpkg-buildpackage -us -uc -b of $treeish failed (log: $dir/build.log)"
		return 1
	fi
}
