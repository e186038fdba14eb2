#!/bin/bash
# Download (never install) Debian 12's kernel + busybox-static for one arch
# with a private apt state.   fetch-debian.sh ARCH METAPKG   e.g. arm64 linux-image-arm64
#                                                               ppc64el linux-image-powerpc64le
set -euo pipefail
arch=$1 meta=$2
cache=/tmp/archr/deb-$arch
state=$cache/apt
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$cache/debs"
uri=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
uri=${uri:-http://deb.debian.org/debian}
echo "deb [arch=$arch] $uri bookworm main" > "$state/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "Dir::State::status=/dev/null"
	-o "APT::Architecture=$arch" -o "APT::Architectures=$arch" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" -qq update
kpkg=$(apt-cache "${apt_opts[@]}" depends "$meta" | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
echo "kernel package: $kpkg"
(cd "$cache/debs" && apt-get "${apt_opts[@]}" -qq download "$kpkg:$arch" busybox-static:$arch)
rm -rf "$cache/root" && mkdir -p "$cache/root"
for deb in "$cache"/debs/*.deb; do
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/root" ./boot ./bin 2>/dev/null || true
done
ls -l "$cache/root/boot" "$cache/root/bin"
