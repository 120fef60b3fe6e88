#!/usr/bin/env bash
# Command-line tests. Each tests/cli/golden/NAME.cmd holds the expected exit status on
# its first line ("exit=N") and a command line on the second, run from the repository
# root with the build directory's tools first on PATH. Its standard output must equal
# NAME.out and, when NAME.err exists, its standard error NAME.err. Golden files are
# reviewed by reading them against the law (see the README), never regenerated blindly:
# `run.sh BUILD --update` rewrites them for that review.
# DECIDE_WRAPPER (e.g. "valgrind --error-exitcode=99 ...") prefixes every tool run.
set -u
build=$(cd "${1:?usage: run.sh BUILD_DIR [--update]}" && pwd)
update=${2:-}
cd "$(dirname "$0")/../.."
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cmdfile in tests/cli/golden/*.cmd; do
  name=${cmdfile%.cmd}
  want_exit=$(sed -n '1s/^exit=//p' "$cmdfile")
  cmdline=$(sed -n '2p' "$cmdfile")
  tool=${cmdline%% *}
  args=${cmdline#"$tool"}
  # shellcheck disable=SC2086
  eval "${DECIDE_WRAPPER:-} \"$build/$tool\" $args" >"$tmp/out" 2>"$tmp/err"
  got_exit=$?
  if [ "$update" = "--update" ]; then
    cp "$tmp/out" "$name.out"
    [ -f "$name.err" ] && cp "$tmp/err" "$name.err"
  fi
  ok=1
  if [ "$got_exit" != "$want_exit" ]; then echo "FAIL $name: exit $got_exit, expected $want_exit"; ok=0; fi
  if ! cmp -s "$tmp/out" "$name.out"; then echo "FAIL $name: stdout differs"; diff -u "$name.out" "$tmp/out" | head -40; ok=0; fi
  if [ -f "$name.err" ] && ! cmp -s "$tmp/err" "$name.err"; then echo "FAIL $name: stderr differs"; diff -u "$name.err" "$tmp/err" | head -20; ok=0; fi
  if [ $ok = 1 ]; then passed=$((passed+1)); else failed=$((failed+1)); sed -n '1,20p' "$tmp/err"; fi
done
echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
