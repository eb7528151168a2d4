#!/bin/sh
# Builds the enclave image (EIF) for one language with nitro-cli, from the pinned recipe.
# Usage: enclave/images/build-eif.sh c|rust|go|maven [OUTPUT.eif]
# Needs Docker and nitro-cli (an EC2 instance with Nitro Enclaves enabled); see README.md here.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
language=${1:?usage: build-eif.sh c|rust|go|maven [OUTPUT.eif]}
output=${2:-teec-$language.eif}
case $language in c|rust|go|maven) ;; *) echo "build-eif.sh: unknown language '$language' (known: c rust go maven)" >&2; exit 2 ;; esac
. "$here/pins.env"

need() { [ -n "$2" ] || { echo "build-eif.sh: $1 is not pinned in enclave/images/pins.env" >&2; exit 2; }; }
need DEBIAN_DIGEST "$DEBIAN_DIGEST"
case $language in
  rust) need RUST_SHA256 "$RUST_SHA256" ;;
  go) need GO_SHA256 "$GO_SHA256" ;;
  maven) need MAVEN_SHA512 "$MAVEN_SHA512" ;;
esac
command -v docker >/dev/null || { echo "build-eif.sh: docker is required" >&2; exit 2; }
command -v nitro-cli >/dev/null || { echo "build-eif.sh: nitro-cli is required" >&2; exit 2; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT INT TERM
(cd "$root" && mvn -B -q -DskipTests -pl enclave -am package dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$context/worker")
cp "$root"/enclave/target/enclave-*.jar "$context/worker/"
cp "$here/Dockerfile" "$context/"

tag="teec-enclave-$language:build"
SOURCE_DATE_EPOCH=0 docker build --network=default \
  --build-arg DEBIAN_IMAGE="$DEBIAN_IMAGE" --build-arg DEBIAN_DIGEST="$DEBIAN_DIGEST" \
  --build-arg DEBIAN_SNAPSHOT="$DEBIAN_SNAPSHOT" --build-arg LANGUAGE="$language" \
  --build-arg RUST_VERSION="$RUST_VERSION" --build-arg RUST_SHA256="$RUST_SHA256" \
  --build-arg GO_VERSION="$GO_VERSION" --build-arg GO_SHA256="$GO_SHA256" \
  --build-arg MAVEN_VERSION="$MAVEN_VERSION" --build-arg MAVEN_SHA512="$MAVEN_SHA512" \
  --target image -t "$tag" "$context"
nitro-cli build-enclave --docker-uri "$tag" --output-file "$output"
echo "build-eif.sh: wrote $output; record its PCR0/1/2 (printed above) in the trust-store registry" >&2
