# Sourced by build-eif.sh and the emulator recipes (after pins.env): the pinned Debian archive.

# pinned_mirror DIR: prints the first mirror that serves the Release file pinned in pins.env
# (DEBIAN_RELEASE_SHA256), leaving it in DIR/Release. Tried in order: TEEC_DEBIAN_MIRROR when set,
# else the pinned snapshot, then deb.debian.org (which serves the same file until the next point
# release). The mirror is not trusted: the digest is what pins every package.
pinned_mirror() {
  for m in ${TEEC_DEBIAN_MIRROR:-"http://snapshot.debian.org/archive/debian/$DEBIAN_SNAPSHOT" http://deb.debian.org/debian}; do
    if curl -fsS --connect-timeout 20 --retry 2 -o "$1/Release" "$m/dists/$DEBIAN_SUITE/Release" 2>"$1/Release.err"; then
      actual=$(sha256sum "$1/Release" | cut -d' ' -f1)
      if [ "$actual" = "$DEBIAN_RELEASE_SHA256" ]; then
        echo "$m"
        return 0
      fi
      echo "$m/dists/$DEBIAN_SUITE/Release has SHA-256 $actual, pins.env says $DEBIAN_RELEASE_SHA256" >&2
    else
      echo "cannot fetch $m/dists/$DEBIAN_SUITE/Release: $(cat "$1/Release.err")" >&2
    fi
  done
  echo "no mirror serves the pinned Release file (set TEEC_DEBIAN_MIRROR to one that does)" >&2
  return 1
}

# A customize hook for mmdebstrap (the root file system is "$1"): fails unless the Release file
# apt used (the body of its InRelease, or its Release) is the pinned one. Checking the file before
# mmdebstrap runs is not enough: apt downloads its own copy.
# Usage: --customize-hook="$(apt_used_pinned_release_hook)"
apt_used_pinned_release_hook() {
  printf '%s' "set -e; found=; for f in \"\$1\"/var/lib/apt/lists/*_dists_${DEBIAN_SUITE}_InRelease \"\$1\"/var/lib/apt/lists/*_dists_${DEBIAN_SUITE}_Release; do [ -f \"\$f\" ] || continue; found=1; case \$f in *_InRelease) sum=\$(awk 'BEGIN{s=0} /^-----BEGIN PGP SIGNATURE-----\$/{exit} s==2{print} s==1&&/^\$/{s=2} /^-----BEGIN PGP SIGNED MESSAGE-----\$/{s=1}' \"\$f\" | sha256sum | cut -d' ' -f1) ;; *) sum=\$(sha256sum < \"\$f\" | cut -d' ' -f1) ;; esac; if [ \"\$sum\" != $DEBIAN_RELEASE_SHA256 ]; then echo \"apt used a $DEBIAN_SUITE Release file with SHA-256 \$sum, pins.env says $DEBIAN_RELEASE_SHA256\" >&2; exit 1; fi; done; [ -n \"\$found\" ] || { echo 'apt left no $DEBIAN_SUITE Release file to check' >&2; exit 1; }"
}
