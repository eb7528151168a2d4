#!/bin/sh
# The CLI figures of issue 13, each a whole process from start to exit (so a script, not JMH),
# next to its baselines measured in the same run: a trivial JVM start and `teec-verify --version`.
# One `teec-verify doc FILE` call; `teec-verify doc` over 2000 real AWS documents on one core; with
# --jobs 1, --jobs 2 and the default --jobs on two cores; and --jobs 1 and --jobs 2 on two cores
# over a batch ten times as large (20000 files), where the serial start weighs a tenth as much. The
# baseline of each two-core batch, in the same hyperfine run: the same files as two --jobs 1
# processes of half the files each, started together, one pinned to each core; what two cores give
# to work that shares nothing, JVM start included.
# The commands run the distribution as a user would: unpacked into a temporary directory, through
# bin/teec-verify (its JVM options and class-data sharing archive, made by a first call before
# timing); the single call also runs without the archive (TEEC_CDS=off) and as a bare
# `java -cp teec-cli.jar` without either.
#
# Usage (from the repository root, after `mvn -B -pl distribution -am package -DskipTests`):
#   bench/cli-batch.sh [REAL_DOCS_DIR] [RUNS] [ONE_CALL_RUNS]
# REAL_DOCS_DIR defaults to ../shared/vectors/real, RUNS (of each batch) to 5, ONE_CALL_RUNS (of
# each single call) to 20. BEFORE=TAR.GZ also times another distribution (e.g. one built from an
# older commit), unpacked beside this one with its own archive: --version, one call, the batch on
# one core and the batch with --jobs 1 and --jobs 2 on two cores, in the same hyperfine runs. Needs hyperfine and taskset (Debian: hyperfine, util-linux). Prints
# hyperfine's tables (wall clock, with user and system CPU time) and the load average before and
# after each, and writes bench/target/cli-one-call.json, bench/target/cli-batch.json and
# bench/target/cli-batch-large.json. LARGE_RUNS (default 3) sets the runs of each large batch;
# LARGE_RUNS=0 skips them.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd -P)
docs=${1:-$root/../shared/vectors/real}
runs=${2:-5}
one_call_runs=${3:-20}
large_runs=${LARGE_RUNS:-3}
count=2000
# The files are named d0000... to d1999...: d0* and d1* are the two halves.
half=$((count / 2))

for tool in hyperfine taskset java javac; do
  command -v "$tool" >/dev/null || { echo "cli-batch: $tool not found" >&2; exit 2; }
done
set -- "$root"/distribution/target/teec-*.tar.gz
[ -f "$1" ] || { echo "cli-batch: no distribution/target/teec-*.tar.gz; build it first (see above)" >&2; exit 2; }
dist=$1
[ -d "$docs" ] || { echo "cli-batch: $docs is not a directory of .cbor documents" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/docs" "$work/hello" "$work/dist"
tar -xzf "$dist" -C "$work/dist"
set -- "$work"/dist/teec-*/bin/teec-verify
verify=$1
jar=$(dirname "$verify")/../lib/teec-cli.jar
before=
if [ -n "${BEFORE:-}" ]; then
  [ -f "$BEFORE" ] || { echo "cli-batch: BEFORE=$BEFORE is not a file" >&2; exit 2; }
  mkdir "$work/before"
  tar -xzf "$BEFORE" -C "$work/before"
  set -- "$work"/before/teec-*/bin/teec-verify
  before=$1
fi

# 2000 files cycling through the real documents: each leaf is seen about 87 times, as in a batch
# from a few hosts.
set -- "$docs"/*.cbor
[ -f "$1" ] || { echo "cli-batch: no .cbor file in $docs" >&2; exit 2; }
n=$#
i=0
while [ $i -lt $count ]; do
  k=$((i % n + 1))
  eval "src=\${$k}"
  cp "$src" "$work/docs/$(printf 'd%04d' $i)-$(basename "$src")"
  i=$((i + 1))
done

# The large batch: ten copies of the 2000 files, in directories of their own.
if [ "$large_runs" -gt 0 ]; then
  for k in 0 1 2 3 4 5 6 7 8 9; do
    cp -R "$work/docs" "$work/large$k"
  done
fi

cat >"$work/hello/Hello.java" <<'EOF'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
EOF
javac -d "$work/hello" "$work/hello/Hello.java"

one=$(ls "$work"/docs/*.cbor | head -n 1)
# The first call makes the class-data sharing archive; it is not timed.
"$verify" doc --at document --allow-debug -q "$one" >/dev/null
doc="$verify doc --at document --allow-debug"
# hyperfine's -n NAME COMMAND pairs for the BEFORE distribution, if any.
before_one=
before_batch=
if [ -n "$before" ]; then
  "$before" doc --at document --allow-debug -q "$one" >/dev/null
  before_doc="$before doc --at document --allow-debug"
  before_one="-n|teec-verify --version, before, 1 core|taskset -c 1 $before --version"
  before_one="$before_one|-n|doc FILE, before, 1 core|taskset -c 1 $before_doc $one"
  before_batch="-n|doc x$count, before, 1 core|taskset -c 1 $before_doc $work/docs/*.cbor"
  before_batch="$before_batch|-n|doc x$count --jobs 1, before, 2 cores|taskset -c 0,1 $before_doc --jobs 1 $work/docs/*.cbor"
  before_batch="$before_batch|-n|doc x$count --jobs 2, before, 2 cores|taskset -c 0,1 $before_doc --jobs 2 $work/docs/*.cbor"
fi
files="$work/docs/*.cbor"
mkdir -p "$root/bench/target"
load() { echo "load $1: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) processors" >&2; }
load before
# Split the BEFORE pairs on '|' alone (their names hold spaces), without expanding patterns.
set -f
IFS='|'
# shellcheck disable=SC2086
set -- $before_one
unset IFS
set +f
hyperfine -N --warmup 2 --runs "$one_call_runs" --export-json "$root/bench/target/cli-one-call.json" \
  -n "trivial JVM start, 1 core" "taskset -c 1 java -cp $work/hello Hello" \
  -n "teec-verify --version, 1 core" "taskset -c 1 $verify --version" \
  -n "doc FILE, bin/teec-verify, 1 core" "taskset -c 1 $doc $one" \
  -n "doc FILE, bin/teec-verify TEEC_CDS=off, 1 core" "env TEEC_CDS=off taskset -c 1 $doc $one" \
  -n "doc FILE, bare java -cp, 1 core" "taskset -c 1 java -cp $jar dev.teec.cli.TeecVerify doc --at document --allow-debug $one" \
  "$@"
load between
set -f
IFS='|'
# shellcheck disable=SC2086
set -- $before_batch
unset IFS
set +f
# Not -N: the shell expands the file pattern.
hyperfine --warmup 1 --runs "$runs" --export-json "$root/bench/target/cli-batch.json" \
  -n "trivial JVM start, 1 core" "taskset -c 1 java -cp $work/hello Hello" \
  -n "doc x$count, 1 core" "taskset -c 1 $doc $files" \
  -n "doc x$count --jobs 1, 2 cores" "taskset -c 0,1 $doc --jobs 1 $files" \
  -n "doc x$count --jobs 2, 2 cores" "taskset -c 0,1 $doc --jobs 2 $files" \
  -n "doc x$count (default --jobs), 2 cores" "taskset -c 0,1 $doc $files" \
  -n "baseline: doc x$count as two processes of $half at once, one per core" \
  "taskset -c 0 $doc --jobs 1 $work/docs/d0*.cbor & taskset -c 1 $doc --jobs 1 $work/docs/d1*.cbor; wait" \
  "$@"
load after
if [ "$large_runs" -gt 0 ]; then
  large="$work/large*/*.cbor"
  hyperfine --warmup 1 --runs "$large_runs" --export-json "$root/bench/target/cli-batch-large.json" \
    -n "doc x$((count * 10)) --jobs 1, 2 cores" "taskset -c 0,1 $doc --jobs 1 $large" \
    -n "doc x$((count * 10)) --jobs 2, 2 cores" "taskset -c 0,1 $doc --jobs 2 $large" \
    -n "baseline: doc x$((count * 10)) as two processes of $((half * 10)) at once, one per core" \
    "taskset -c 0 $doc --jobs 1 $work/large[0-4]/*.cbor & taskset -c 1 $doc --jobs 1 $work/large[5-9]/*.cbor; wait"
  load "after the large batch"
fi
