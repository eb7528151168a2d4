#!/bin/sh
# Builds the enclave image (EIF) for one language from the pinned recipe (pins.env).
# Usage: enclave/images/build-eif.sh c|rust|go|maven [OUTPUT.eif]
# Needs mmdebstrap and debian-archive-keyring, curl, Docker (only to package the image: nothing is
# pulled) and nitro-cli, on an EC2 instance with Nitro Enclaves enabled; see README.md here.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
language=${1:?usage: build-eif.sh c|rust|go|maven [OUTPUT.eif]}
output=${2:-teec-$language.eif}
case $language in c|rust|go|maven) ;; *) echo "build-eif.sh: unknown language '$language' (known: c rust go maven)" >&2; exit 2 ;; esac
. "$here/pins.env"
eval "packages=\$PACKAGES_$language"
eval "expected_rootfs=\$ROOTFS_SHA256_$language"

for tool in mmdebstrap curl sha256sum docker nitro-cli; do
  command -v "$tool" >/dev/null || { echo "build-eif.sh: $tool is required" >&2; exit 2; }
done

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT INT TERM
mirror="http://snapshot.debian.org/archive/debian/$DEBIAN_SNAPSHOT"

# 1. The snapshot must be the one pinned: everything apt installs is fixed by this file's digest.
curl -fsS -o "$context/Release" "$mirror/dists/$DEBIAN_SUITE/Release"
actual=$(sha256sum "$context/Release" | cut -d' ' -f1)
if [ "$actual" != "$DEBIAN_RELEASE_SHA256" ]; then
  echo "build-eif.sh: $mirror/dists/$DEBIAN_SUITE/Release has SHA-256 $actual, pins.env says $DEBIAN_RELEASE_SHA256" >&2
  exit 1
fi

# 2. The root file system, reproducibly (mmdebstrap honours SOURCE_DATE_EPOCH); apt verifies the
#    Release signature and every index and package digest.
#    The hook leaves no trace of where the packages came from (sources, apt options, lists), so the
#    tar does not depend on the mirror: the snapshot and deb.debian.org give the same bytes.
SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH mmdebstrap --variant=minbase \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --include="$PACKAGES_COMMON,$packages" \
  --customize-hook="$ROOTFS_CLEANUP" \
  "$DEBIAN_SUITE" "$context/rootfs.tar" "deb $mirror $DEBIAN_SUITE main"
rootfs=$(sha256sum "$context/rootfs.tar" | cut -d' ' -f1)
if [ -n "$expected_rootfs" ] && [ "$rootfs" != "$expected_rootfs" ]; then
  echo "build-eif.sh: WARNING: the root file system has SHA-256 $rootfs, pins.env records $expected_rootfs" \
    "(mmdebstrap $(mmdebstrap --version | cut -d' ' -f2) here); compare the measured PCRs with other builders" >&2
fi

# 3. The worker: the enclave module and its runtime dependencies.
(cd "$root" && mvn -B -q -DskipTests -pl enclave -am package dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$context/worker")
cp "$root"/enclave/target/enclave-*.jar "$context/worker/"
cp "$here/Dockerfile" "$context/"

# 4. Package and convert. FROM scratch: nothing is pulled, and the build has no network.
tag="teec-enclave-$language:build"
SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH docker build --network=none --build-arg LANGUAGE="$language" \
  -t "$tag" "$context"
nitro-cli build-enclave --docker-uri "$tag" --output-file "$output"
echo "build-eif.sh: wrote $output (root file system SHA-256 $rootfs); record its PCR0/1/2 (printed above," \
  "or: teec image measure $output) in the trust-store registry" >&2
