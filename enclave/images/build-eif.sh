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

for tool in mmdebstrap curl sha256sum docker nitro-cli; do
  command -v "$tool" >/dev/null || { echo "build-eif.sh: $tool is required" >&2; exit 2; }
done

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT INT TERM

# 1-2. The root file system from the pinned Debian release (rootfs.sh, shared with teec emulator
#      image): checks the Release file's digest, and that apt used that file.
rootfs=$("$here/rootfs.sh" "$language" "$context/rootfs.tar")

# 3. The worker: the enclave module and its runtime dependencies.
(cd "$root" && mvn -B -q -DskipTests -pl enclave -am package dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$context/worker")
cp "$root"/enclave/target/enclave-*.jar "$context/worker/"
cp "$here/Dockerfile" "$here/start-worker" "$context/"

# 4. Package and convert. FROM scratch: nothing is pulled, and the build has no network.
tag="teec-enclave-$language:build"
SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH docker build --network=none --build-arg LANGUAGE="$language" \
  -t "$tag" "$context"
nitro-cli build-enclave --docker-uri "$tag" --output-file "$output"
echo "build-eif.sh: wrote $output (root file system SHA-256 $rootfs); record its PCR0/1/2 (printed above," \
  "or: teec image measure $output) in the trust-store registry" >&2
