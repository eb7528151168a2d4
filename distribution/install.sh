#!/bin/sh
# Installs a teec distribution for a CI job (the GitHub actions action.yml and verify/action.yml
# use it) and prints its directory, whose bin/teec and bin/teec-verify need only a Java runtime.
#
#   install.sh                      build it from this checkout (Maven, tests skipped), once per job
#   install.sh URL SHA256           download the archive (a release's teec-VERSION.tar.gz), refuse it
#                                   unless its SHA-256 is SHA256, then unpack it
#
# Installs under $RUNNER_TEMP (a job's own directory; /tmp outside Actions) and reuses an earlier
# install of the same job: later steps and the other action do not build or download again.
set -eu

say() { echo "teec install: $*" >&2; }
sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d ' ' -f 1
}

base=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/teec-distribution
if [ $# -eq 0 ]; then
  key=checkout
elif [ $# -eq 2 ]; then
  url=$1
  expected=$(printf '%s' "$2" | tr 'A-F' 'a-f')
  case $expected in
    *[!0-9a-f]*|'') say "SHA256 must be 64 hex digits, got '$2'"; exit 2 ;;
  esac
  [ ${#expected} -eq 64 ] || { say "SHA256 must be 64 hex digits, got '$2'"; exit 2; }
  key=$expected
else
  echo "usage: install.sh [URL SHA256]" >&2
  exit 2
fi
dest=$base/$key
# Prints the unpacked teec-VERSION directory under $dest and succeeds, if there is one.
installed() {
  for home in "$dest"/teec-*/; do
    if [ -x "${home}bin/teec-verify" ]; then
      echo "${home%/}"
      return 0
    fi
  done
  return 1
}
installed && exit 0

work=$base/.work-$$
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work"
if [ "$key" = checkout ]; then
  root=$(cd "$(dirname "$0")/.." && pwd -P)
  say "building the distribution from $root"
  (cd "$root" && mvn -B -q -DskipTests -pl distribution -am package) >&2
  set -- "$root"/distribution/target/teec-*.tar.gz
  archive=$1
  [ -f "$archive" ] || { say "the build wrote no distribution/target/teec-*.tar.gz"; exit 1; }
else
  archive=$work/teec.tar.gz
  say "downloading $url"
  curl -fsSL --retry 3 -o "$archive" "$url"
  actual=$(sha256 "$archive")
  if [ "$actual" != "$expected" ]; then
    say "$url has SHA-256 $actual, not the expected $expected; refusing it"
    exit 1
  fi
fi
mkdir -p "$work/unpacked"
tar -xzf "$archive" -C "$work/unpacked"
mkdir -p "$base"
rm -rf "$dest"
mv "$work/unpacked" "$dest"
installed || { say "$archive holds no teec-VERSION/bin/teec-verify"; exit 1; }
