#!/bin/sh
# Makes the root file system of one enclave image (a tar) from the pinned recipe (pins.env): shared
# by build-eif.sh (real Nitro images) and teec emulator image (emulated ones).
# Usage: enclave/images/rootfs.sh c|rust|go|maven OUTPUT.tar
# Needs mmdebstrap, debian-archive-keyring and curl. Prints the tar's SHA-256 on stdout.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
language=${1:?usage: rootfs.sh c|rust|go|maven OUTPUT.tar}
output=${2:?usage: rootfs.sh c|rust|go|maven OUTPUT.tar}
case $language in c|rust|go|maven) ;; *) echo "rootfs.sh: unknown language '$language' (known: c rust go maven)" >&2; exit 2 ;; esac
. "$here/pins.env"
. "$here/debian.sh"
eval "packages=\$PACKAGES_$language"
eval "expected_rootfs=\$ROOTFS_SHA256_$language"

for tool in mmdebstrap curl sha256sum; do
  command -v "$tool" >/dev/null || { echo "rootfs.sh: $tool is required (Debian: apt-get install mmdebstrap debian-archive-keyring curl)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# 1. The snapshot must be the one pinned: everything apt installs is fixed by this file's digest.
mirror=$(pinned_mirror "$work") || exit 1

# 2. The root file system, reproducibly (mmdebstrap honours SOURCE_DATE_EPOCH); apt verifies the
#    Release signature and every index and package digest, and the first hook that apt used the
#    pinned Release. The cleanup hook leaves no trace of where the packages came from (sources, apt
#    options, lists), so the tar does not depend on the mirror: the snapshot and deb.debian.org give
#    the same bytes.
SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH mmdebstrap --variant=minbase \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --include="$PACKAGES_COMMON,$packages" \
  --customize-hook="$(apt_used_pinned_release_hook)" \
  --customize-hook="$ROOTFS_CLEANUP" \
  "$DEBIAN_SUITE" "$work/rootfs.tar" "deb $mirror $DEBIAN_SUITE main" >&2
rootfs=$(sha256sum "$work/rootfs.tar" | cut -d' ' -f1)
if [ -n "$expected_rootfs" ] && [ "$rootfs" != "$expected_rootfs" ]; then
  echo "rootfs.sh: WARNING: the root file system has SHA-256 $rootfs, pins.env records $expected_rootfs" \
    "(mmdebstrap $(mmdebstrap --version | cut -d' ' -f2) here); compare the measured PCRs with other builders" >&2
fi
mv "$work/rootfs.tar" "$output"
echo "$rootfs"
