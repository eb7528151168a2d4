#!/bin/sh
# Issue 13's build figure: what `teec build --mode local` of a trivial one-file C program costs
# over the bare command (`gcc -O2 -o hello hello.c`), with a trivial JVM start, all measured in the
# same run. A whole process from start to exit, hence a script, not JMH. The build runs as a user
# runs it: bin/teec (its class-data sharing archive, which a first untimed build makes; the
# client and the worker it starts both map it), with a private TEEC_HOME and build root; it is
# also timed with TEEC_CDS=off, without the archive.
#
# Usage (from the repository root, after `mvn -B -pl verifier-cli -am package -DskipTests`):
#   bench/build-overhead.sh [RUNS]
# RUNS defaults to 10. TEEC=PATH times another bin/teec (e.g. an unpacked distribution's);
# BEFORE=PATH also times that bin/teec in the same run (e.g. a checkout of an older commit). Needs
# hyperfine (Debian: hyperfine), gcc, java and javac. Prints hyperfine's table (wall clock, with
# user and system CPU time of the command and every process it waited for: for a build, the client,
# the worker and gcc) and the load average before and after, and writes
# bench/target/build-overhead.json.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-10}
teec=${TEEC:-$root/bin/teec}

for tool in hyperfine gcc java javac; do
  command -v "$tool" >/dev/null || { echo "build-overhead: $tool not found" >&2; exit 2; }
done
if [ -z "${TEEC:-}" ] && [ ! -f "$root/verifier-cli/target/teec-cli.jar" ]; then
  echo "build-overhead: no verifier-cli/target/teec-cli.jar; build it first (see above)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/project" "$work/jvm"
cat >"$work/project/hello.c" <<'EOF_C'
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
EOF_C
printf '%s\n' '{"language":"c","input":{"cmd":"gcc -O2 -o hello hello.c"},"output":{"files":["hello"]}}' \
  >"$work/project/build.json"
cat >"$work/jvm/Hello.java" <<'EOF_J'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
EOF_J
javac -d "$work/jvm" "$work/jvm/Hello.java"

# TEEC_NO_REBUILD: time the jar as it is, as a distribution runs (no staleness check).
export TEEC_HOME="$work/home" TEEC_NO_REBUILD=1
build="$teec build $work/project --mode local --local-build-root $work/root --out $work/hello.tar"
# The first build makes the archive (if missing) and the simulated root; neither is timed.
$build >/dev/null
set --
if [ -n "${BEFORE:-}" ]; then
  before="$BEFORE build $work/project --mode local --local-build-root $work/root --out $work/hello.tar"
  $before >/dev/null
  set -- -n "teec build --mode local, BEFORE" "$before"
fi
mkdir -p "$root/bench/target"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) processors" >&2
hyperfine --warmup 1 --runs "$runs" --export-json "$root/bench/target/build-overhead.json" \
  -n "trivial JVM start" "java -cp $work/jvm Hello" \
  -n "bare gcc" "cd $work/project && gcc -O2 -o $work/hello hello.c" \
  -n "teec build --mode local" "$build" \
  -n "teec build --mode local, TEEC_CDS=off" "env TEEC_CDS=off $build" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# The overheads over bare gcc, wall and CPU (user + system), from hyperfine's means.
if command -v python3 >/dev/null; then
  python3 - "$root/bench/target/build-overhead.json" <<'EOF_PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
gcc = r["bare gcc"]
cpu = lambda x: x["user"] + x["system"]
for name, x in r.items():
    print("%-40s wall %6.3f s  CPU %6.3f s  over bare gcc: wall %+6.3f s, CPU %+6.3f s"
          % (name, x["mean"], cpu(x), x["mean"] - gcc["mean"], cpu(x) - cpu(gcc)))
EOF_PY
fi
