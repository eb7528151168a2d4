#!/bin/sh
# The Maven figure of issue 13: `mvn -B package` of test-vectors/projects/maven-one-dependency with
# an empty local repository, bare and through the recording proxy (with the environment and Maven
# settings the worker gives a build), alternating, both against the same HTTPS Maven repository
# served from a local directory by the harness (dev.teec.bench.MavenThroughProxy). Serving the
# repository locally takes Maven Central's network variance out of the comparison; what remains is
# the proxy's own cost (TLS termination and re-origination, relaying, digesting, recording).
#
# The served repository is what the project needs, fetched once from Maven Central into
# bench/target/maven-proxy/seed-repo (kept for later runs; delete it to refetch).
#
# Usage (from the repository root, after
# `mvn -B -P bench -pl bench,verifier-cli -am package -DskipTests`):
#   bench/maven-proxy.sh [RUNS] [HOST]
# RUNS (default 5) timed builds of each kind after one untimed warm-up of each. HOST (default: the
# first address of `hostname -I`) is where the repository listens; it must not be loopback, which
# the proxy settings exempt from proxying. Needs mvn, keytool and /usr/bin/time. Prints each run
# (wall, mvn user/sys CPU, the harness's CPU, which holds the proxy and the repository server) and
# the medians, with the load average before and after. PROXY_JAVA_OPTS adds options to the proxy
# JVM (for example -XX:StartFlightRecording=filename=/tmp/proxy.jfr to profile it).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-5}
host=${2:-$(hostname -I | cut -d' ' -f1)}
jar=$root/bench/target/benchmarks.jar
cli_jar=$root/verifier-cli/target/teec-cli.jar
project=$root/test-vectors/projects/maven-one-dependency
work=$root/bench/target/maven-proxy

for tool in mvn keytool java /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "maven-proxy: $tool not found" >&2; exit 2; }
done
for f in "$jar" "$cli_jar" "${cli_jar%.jar}.classlist"; do
  [ -f "$f" ] || { echo "maven-proxy: no $f; build it first (see above)" >&2; exit 2; }
done
case $host in
  127.*|::1|localhost|'') echo "maven-proxy: HOST must be a non-loopback address, got '$host'" >&2; exit 2 ;;
esac
mkdir -p "$work"

if [ ! -d "$work/seed-repo" ]; then
  echo "maven-proxy: fetching what the project needs from Maven Central (once)"
  rm -rf "$work/seed-project" "$work/seed-repo.tmp"
  cp -r "$project" "$work/seed-project"
  (cd "$work/seed-project" && mvn -B -q -Dmaven.repo.local="$work/seed-repo.tmp" package)
  mv "$work/seed-repo.tmp" "$work/seed-repo"
fi

rm -f "$work/repo.p12" "$work/repo.cer" "$work/repo-trust.p12"
keytool -genkeypair -keystore "$work/repo.p12" -storetype PKCS12 -storepass changeit \
  -alias repo -keyalg EC -groupname secp256r1 -dname CN=bench-repo -ext "san=ip:$host" \
  -validity 2 2>/dev/null
keytool -exportcert -keystore "$work/repo.p12" -storepass changeit -alias repo \
  -file "$work/repo.cer" 2>/dev/null
keytool -importcert -noprompt -keystore "$work/repo-trust.p12" -storetype PKCS12 \
  -storepass changeit -alias repo -file "$work/repo.cer" 2>/dev/null

# The proxy JVM runs as a local build's worker does: the CLI jar's classes, mapped from an archive
# of its class list, made as bin/teec-launcher.sh makes it (fresh each run: it is cheap, and a
# rebuilt jar invalidates it).
rm -f "$work/teec-cli.jsa"
java -Xshare:dump -XX:SharedClassListFile="${cli_jar%.jar}.classlist" \
  -XX:SharedArchiveFile="$work/teec-cli.jsa" -cp "$cli_jar" >"$work/cds-dump.log" 2>&1 || {
  echo "maven-proxy: making the class-data sharing archive failed; see $work/cds-dump.log" >&2
  exit 2
}

echo "load before: $(uptime)"
java -Dteec.bench.workerJar="$cli_jar" -Dteec.bench.workerArchive="$work/teec-cli.jsa" \
  -cp "$jar" dev.teec.bench.MavenThroughProxy "$work/seed-repo" "$project" "$work" \
  "$work/repo.p12" "$work/repo-trust.p12" "$host" "$runs"
echo "load after: $(uptime)"
