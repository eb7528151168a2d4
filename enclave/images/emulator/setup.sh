#!/bin/sh
# The work of `teec emulator setup`: fetches and builds everything the emulator runs into OUTPUT
# (a new directory; the caller renames it into place once this succeeds). Lines starting with
# "@@step " name the step under way. Pins: ../pins.env (the Debian release) and ./pins.env.
# Needs mmdebstrap, debian-archive-keyring, curl, dpkg-deb; root, or unprivileged user namespaces
# for mmdebstrap's unshare mode.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
images=$(cd "$here/.." && pwd -P)
output=${1:?usage: setup.sh OUTPUT_DIR}
. "$images/pins.env"
. "$here/pins.env"
. "$images/debian.sh"
step() { echo "@@step $*"; }

for tool in mmdebstrap curl sha256sum dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "setup.sh: $tool is required (Debian: apt-get install mmdebstrap debian-archive-keyring curl dpkg)" >&2; exit 2; }
done
[ -d "$output" ] && [ -z "$(ls -A "$output")" ] || { echo "setup.sh: $output must be an empty directory" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

step "Debian $DEBIAN_SUITE: checking the pinned Release file"
mirror=$(pinned_mirror "$work")
echo "mirror: $mirror"

step "vhost-device-vsock $VSOCK_VERSION (Debian sid)"
fetched=
for m in "$mirror" http://deb.debian.org/debian; do
  if curl -fsS --connect-timeout 20 --retry 2 -o "$work/vsock.deb" "$m/$VSOCK_DEB"; then fetched=1; break; fi
done
[ -n "$fetched" ] || { echo "cannot fetch $VSOCK_DEB" >&2; exit 1; }
sum=$(sha256sum "$work/vsock.deb" | cut -d' ' -f1)
[ "$sum" = "$VSOCK_DEB_SHA256" ] || { echo "$VSOCK_DEB has SHA-256 $sum, pins.env says $VSOCK_DEB_SHA256" >&2; exit 1; }
dpkg-deb -x "$work/vsock.deb" "$work/vsock"
mkdir -p "$output/vsock"
cp "$work/vsock/usr/bin/vhost-device-vsock" "$output/vsock/vhost-device-vsock"
"$output/vsock/vhost-device-vsock" --version

step "trixie build root (mmdebstrap), then QEMU, kernel and busybox inside it"
cat "$images/pins.env" "$here/pins.env" > "$work/pins.env"
mkdir -p "$output/root"
SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH mmdebstrap --variant=apt \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --include="$QEMU_BUILD_PACKAGES" \
  --customize-hook="$(apt_used_pinned_release_hook)" \
  --customize-hook='mkdir -p "$1/tmp/teec"' \
  --customize-hook="copy-in $work/pins.env $here/build-in-root.sh /tmp/teec" \
  --customize-hook='chroot "$1" sh /tmp/teec/build-in-root.sh' \
  --customize-hook="sync-out /out $output/root" \
  "$DEBIAN_SUITE" /dev/null "deb $mirror $DEBIAN_SUITE main" "deb-src $mirror $DEBIAN_SUITE main"
for part in qemu kernel busybox versions.env; do
  mv "$output/root/$part" "$output/$part"
done
rmdir "$output/root"
# QEMU runs with trixie's libraries through trixie's loader (the host may be older).
cat > "$output/qemu/qemu-system-x86_64" <<'WRAPPER'
#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd -P)
exec "$here/lib/ld-linux-x86-64.so.2" --library-path "$here/lib" --argv0 "$0" "$here/bin/qemu-system-x86_64" "$@"
WRAPPER
chmod 755 "$output/qemu/qemu-system-x86_64"
"$output/qemu/qemu-system-x86_64" -machine help | grep -q '^nitro-enclave ' \
  || { echo "the QEMU built does not run here, or has no nitro-enclave machine" >&2; exit 1; }
{
  cat "$output/versions.env"
  echo "VSOCK_VERSION=$VSOCK_VERSION"
  echo "MIRROR=$mirror"
} > "$work/versions.env"
mv "$work/versions.env" "$output/versions.env"
step "done"
