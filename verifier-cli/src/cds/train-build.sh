#!/bin/sh
# The class-data sharing training run of `teec build --mode local` (issue 13), run at package time
# after the `teec-verify doc` one (verifier-cli/pom.xml): a local build of a one-file project, whose
# client and worker JVMs each write the classes they load (JAVA_TOOL_OPTIONS reaches both; %p, the
# process id, keeps their lists apart). Their lists and VERIFY_LIST (src/cds/train-verify.sh's)
# are merged into CLASSLIST without duplicates (-Xshare:dump fails on a repeated line), so the one
# archive the launcher makes from it serves every `teec` command, the `teec build` client and the
# worker it starts. `teec-verify` keeps VERIFY_LIST alone: a smaller archive starts faster.
#
# usage: train-build.sh JAR VERIFY_LIST CLASSLIST JAVA
set -eu
jar=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
verify_list=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
list=$(cd "$(dirname "$3")" && pwd -P)/$(basename "$3")
java=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/teec-cds-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/project" "$work/lists"
cd "$work/project"
printf 'int main(void) { return 0; }\n' >main.c
printf '%s\n' '{"language":"c","input":{"cmd":"cp main.c main"},"output":{"files":["main"]}}' \
  >build.json
# A git work tree, as most projects are: the client then reads the commit and sends its objects.
# Without git, or if committing fails (a hook, a policy), a plain directory trains the rest.
if command -v git >/dev/null 2>&1; then
  { git init -q . && git add build.json main.c &&
    git -c user.name=teec -c user.email=teec@invalid -c commit.gpgsign=false \
      -c core.hooksPath=/dev/null commit -q -m training; } || rm -rf .git
fi
TEEC_HOME=$work/home JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$work/lists/%p.classlist" \
  "$java" -cp "$jar" dev.teec.cli.Teec build . --mode local --local-build-root "$work/root" \
  --out "$work/bundle.tar"
awk '!seen[$0]++' "$verify_list" "$work"/lists/*.classlist >"$work/merged"
mv -f "$work/merged" "$list"
