#!/bin/sh
# The class-data sharing training of `teec-verify` (issue 13), run at package time
# (verifier-cli/pom.xml): what its runs load is written to CLASSLIST, from which the launcher makes
# teec-verify's archive. Two runs, so that the archive holds what real use loads and the committed
# vector alone reaches:
# - the vector's document eight times over with --jobs 2 against its own --root: the batch
#   (InOrderBatch and its threads) and Bouncy Castle's fixed-point path for a point used again;
# - the same document against the pinned AWS root, which rejects it: reading the pinned root from
#   the jar, as every call without --root does.
# The lists are merged without duplicates (-Xshare:dump fails on a repeated line).
#
# usage: train-verify.sh JAR CLASSLIST JAVA VECTOR_DIR
set -eu
jar=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
list=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
java=$3
vector=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/teec-cds-verify.XXXXXX")
trap 'rm -rf "$work"' EXIT
doc=$vector/document.cbor
"$java" -XX:DumpLoadedClassList="$work/batch.classlist" -cp "$jar" dev.teec.cli.TeecVerify \
  doc --at document --jobs 2 --root "$vector/root.pem" "$doc" "$doc" "$doc" "$doc" "$doc" "$doc" \
  "$doc" "$doc"
# Exit 1: the simulated document does not chain to the AWS root; any other code is a failure.
status=0
"$java" -XX:DumpLoadedClassList="$work/pinned.classlist" -cp "$jar" dev.teec.cli.TeecVerify \
  doc --at document "$doc" || status=$?
if [ "$status" -ne 1 ]; then
  echo "train-verify: the pinned-root run exited $status, not 1 (rejected)" >&2
  exit 1
fi
awk '!seen[$0]++' "$work/batch.classlist" "$work/pinned.classlist" >"$work/merged"
mv -f "$work/merged" "$list"
