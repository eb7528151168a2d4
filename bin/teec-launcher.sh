# Shared by bin/teec and bin/teec-verify, which set $self (their own path, with a slash in it and
# symlinks resolved, so that a link from a directory on PATH still finds the checkout or
# distribution), $main_class, $jvm_options and $cds_name, then source this file with the command's
# arguments. Not a command of its own.
#
# Two layouts, told apart by lib/teec-cli.jar beside bin/:
# - a distribution (teec-VERSION.tar.gz or .zip): runs lib/teec-cli.jar, builds nothing;
# - a checkout: runs verifier-cli/target/teec-cli.jar and first rebuilds it when it is missing or
#   older than any module's pom or main sources (so a fresh clone works without a build step).
#   Build output goes to stderr: stdout stays the command's own (NDJSON with --json).
# Either way the JVM maps a class-data sharing archive (AppCDS) of the classes the command loads,
# made from $cds_name.classlist beside the jar (written at package time by training runs) for this
# Java runtime and jar, so a single call starts in a fraction of the time. Each command has its
# own: teec-verify's holds only what a verification loads, and a smaller archive is cheaper to map
# at every start (bench/README.md). TEEC_CDS=off runs without it.

# Parameter expansion and shell built-ins instead of dirname, basename, sed, tr and cut: each of
# those is a process, and a one-document call is over in a few tenths of a second.
name=${self##*/}
root=$(cd "${self%/*}/.." && pwd -P)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

# Everything that goes into the jar: every module's pom and main sources, and the enclave image
# recipe the emulator bundles. LauncherTest checks this against the reactor's module list.
teec_stale() {
  [ ! -f "$jar" ] && return 0
  newer=$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main "$root/enclave/images" \
    -newer "$jar" -print 2>/dev/null | head -n 1)
  [ -n "$newer" ]
}

if [ -f "$root/lib/teec-cli.jar" ]; then
  jar=$root/lib/teec-cli.jar
else
  jar=$root/verifier-cli/target/teec-cli.jar
  # TEEC_NO_REBUILD=1: the build itself runs the launcher (to make the CDS archive), and a build the
  # launcher started must not start another.
  if [ -z "${TEEC_NO_REBUILD:-}" ] && teec_stale; then
    echo "$name: building $jar" >&2
    if ! (cd "$root" && TEEC_NO_REBUILD=1 mvn -B -q -DskipTests -pl verifier-cli -am package) >&2; then
      echo "$name: building the CLI failed; run 'mvn -pl verifier-cli -am package' in $root for details" >&2
      exit 3
    fi
  fi
fi

# The runtime's own version string (from its release file, no JVM started) and a checksum of its
# location and of the jar's path: an archive is only valid for the JVM build that wrote it and for
# the jar at the path it was made with (HotSpot silently ignores a mismatched one, so a moved
# installation must not find the old archive under the same name).
teec_java_runtime() {
  j=$(command -v "$java") || return 1
  while [ -L "$j" ]; do
    t=$(readlink "$j")
    case $t in
      /*) j=$t ;;
      *) j=${j%/*}/$t ;;
    esac
  done
  home=${j%/*}
  home=${home%/*}
  version=
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      JAVA_RUNTIME_VERSION=\"*\")
        version=${line#*\"}
        version=${version%\"}
        ;;
    esac
    line=
  done 2>/dev/null <"$home/release" || return 1
  [ -n "$version" ] || return 1
  case $version in
    *[!A-Za-z0-9.+-]*) version=$(printf '%s' "$version" | tr -c 'A-Za-z0-9.+-' '_') ;;
  esac
  # shellcheck disable=SC2046 # cksum prints the checksum and the length, split into $1 and $2.
  set -- $(printf '%s\n%s' "$home" "$jar" | cksum)
  printf '%s-%s' "$version" "$1"
}

# The archive for this runtime beside the jar, or in the user's cache when that directory is
# read-only; made (once, in a second or two, quietly) when missing or older than the jar. HotSpot
# ties an archive to the jar's path, size and time, so it cannot ship inside the distribution.
teec_cds_archive() {
  [ "${TEEC_CDS:-on}" != off ] || return 1
  list=${jar%/*}/$cds_name.classlist
  [ -f "$list" ] || return 1
  runtime=$(teec_java_runtime) || return 1
  dir=${jar%/*}
  if [ ! -w "$dir" ]; then
    dir=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/teec/cds/$(printf '%s' "$jar" | cksum | cut -d ' ' -f 1)
  fi
  archive=$dir/$cds_name-$runtime.jsa
  if [ ! -f "$archive" ] || [ "$jar" -nt "$archive" ] || [ "$list" -nt "$archive" ]; then
    mkdir -p "$dir" 2>/dev/null || return 1
    # A private name, then a rename: concurrent first calls do not read a half-written archive.
    if ! "$java" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive.$$" \
      -cp "$jar" >/dev/null 2>&1 || ! mv -f "$archive.$$" "$archive"; then
      rm -f "$archive.$$"
      return 1
    fi
  fi
  printf '%s' "$archive"
}

set -- -cp "$jar" "$main_class" "$@"
if archive=$(teec_cds_archive); then
  # -Xshare:auto: a stale or foreign archive is ignored, never fatal; -Xlog:cds=off keeps newer
  # JVMs from warning about it on stderr.
  set -- "-XX:SharedArchiveFile=$archive" -Xshare:auto -Xlog:cds=off "$@"
fi
# shellcheck disable=SC2086 # $jvm_options is a list of plain options set by the launcher.
exec "$java" $jvm_options "$@"
