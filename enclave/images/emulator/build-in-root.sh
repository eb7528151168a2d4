#!/bin/sh
# Runs inside the trixie build root that setup.sh makes (as its root user): builds QEMU from
# trixie's source package, takes the kernel and busybox from their binary packages, and leaves
# everything under /out. Pins come from /tmp/teec/pins.env (both files, concatenated).
set -eu
. /tmp/teec/pins.env
step() { echo "@@step $*"; }
jobs=$(($(nproc) + 1))
out=/out
mkdir -p /build "$out/qemu/bin" "$out/qemu/lib" "$out/qemu/share" "$out/kernel/modules" "$out/busybox"
cd /build

# Only the packages named: apt checks them against the pinned Release's indexes, and so do we.
fetch_deb() { # PACKAGE VERSION SHA256
  apt-get download -q "$1=$2" >/dev/null
  f=$(ls "./$1"_*.deb)
  sum=$(sha256sum "$f" | cut -d' ' -f1)
  [ "$sum" = "$3" ] || { echo "$f has SHA-256 $sum, pins.env says $3" >&2; exit 1; }
  echo "$f"
}

step "kernel: $KERNEL_PACKAGE $KERNEL_VERSION"
deb=$(fetch_deb "$KERNEL_PACKAGE" "$KERNEL_VERSION" "$KERNEL_DEB_SHA256")
dpkg-deb -x "$deb" /build/kernel
cp "/build/kernel/boot/vmlinuz-$KERNEL_RELEASE" "$out/kernel/vmlinuz"
cp "/build/kernel/boot/config-$KERNEL_RELEASE" "$out/kernel/config"
for m in $KERNEL_MODULES; do
  xz -dc "/build/kernel/usr/lib/modules/$KERNEL_RELEASE/$m.ko.xz" > "$out/kernel/modules/$(basename "$m").ko"
done
for option in CONFIG_NSM=m CONFIG_VIRTIO_MMIO=m CONFIG_VSOCKETS=m CONFIG_VIRTIO_VSOCKETS=m CONFIG_DEVTMPFS=y; do
  grep -qx "$option" "$out/kernel/config" || { echo "the kernel's config lacks $option" >&2; exit 1; }
done

step "busybox: $BUSYBOX_PACKAGE $BUSYBOX_VERSION"
deb=$(fetch_deb "$BUSYBOX_PACKAGE" "$BUSYBOX_VERSION" "$BUSYBOX_DEB_SHA256")
dpkg-deb -x "$deb" /build/busybox
cp /build/busybox/usr/bin/busybox "$out/busybox/busybox"

step "QEMU source: qemu $QEMU_SOURCE_VERSION"
apt-get source -q --download-only "qemu=$QEMU_SOURCE_VERSION" >/dev/null
dsc=$(ls ./qemu_*.dsc)
sum=$(sha256sum "$dsc" | cut -d' ' -f1)
[ "$sum" = "$QEMU_DSC_SHA256" ] || { echo "$dsc has SHA-256 $sum, pins.env says $QEMU_DSC_SHA256" >&2; exit 1; }
dpkg-source --no-check -x "$dsc" /build/qemu >/dev/null
cd /build/qemu
# The +ds source has no edk2 firmware blobs; the nitro-enclave machine needs none.
sed -i 's/^if unpack_edk2_blobs$/if false/' pc-bios/meson.build
# Only the nitro-enclave machine and what it selects (microvm, virtio-nsm, vhost-user-vsock).
printf 'CONFIG_NITRO_ENCLAVE=y\n' > configs/devices/x86_64-softmmu/nitro.mak

step "QEMU configure"
./configure --prefix=/opt/teec-qemu --target-list=x86_64-softmmu --without-default-devices \
  --with-devices-x86_64=nitro --enable-libcbor --enable-gnutls --enable-fdt=system \
  --disable-docs --disable-tools --disable-guest-agent --disable-slirp --disable-gtk --disable-sdl \
  --disable-vnc --disable-rust --disable-install-blobs --disable-download --disable-werror \
  --disable-user --disable-linux-user --disable-bpf --disable-curl --disable-libusb \
  --disable-capstone --disable-plugins > /build/configure.log 2>&1 || { cat /build/configure.log; exit 1; }

step "QEMU build (ninja -j$jobs under nice: about 10 minutes on 2 cores)"
nice -n 10 ninja -C build -j"$jobs" qemu-system-x86_64
build/qemu-system-x86_64 -machine help | grep -q '^nitro-enclave ' \
  || { echo "the QEMU built has no nitro-enclave machine" >&2; exit 1; }

step "QEMU install"
cp build/qemu-system-x86_64 "$out/qemu/bin/qemu-system-x86_64"
# The libraries it links (trixie's: the host may be older), run through trixie's loader.
ldd build/qemu-system-x86_64 | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' | sort -u | while read -r lib; do
  cp -L "$lib" "$out/qemu/lib/$(basename "$lib")"
done
cp -a /usr/share/seabios "$out/qemu/share/seabios"
cp -a /usr/share/qemu "$out/qemu/share/qemu"
{
  echo "QEMU_VERSION=$(build/qemu-system-x86_64 --version | head -n 1 | awk '{print $4}')"
  echo "SEABIOS_VERSION=$(dpkg-query -W -f '${Version}' seabios)"
  echo "QEMU_SYSTEM_DATA_VERSION=$(dpkg-query -W -f '${Version}' qemu-system-data)"
  echo "GLIBC_VERSION=$(dpkg-query -W -f '${Version}' libc6)"
} > "$out/versions.env"
