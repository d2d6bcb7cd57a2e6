#!/usr/bin/env bash
# wst-unix-token obtains a token from the sample STS over a Unix-domain socket; a URL with no
# socket behind it fails cleanly. Last line: "N passed, N failed".
set -u
sample=$1
sts=$2
tmp=$(mktemp -d)
pid=""
cleanup() {
  [[ -n "$pid" ]] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0; failed=0
check() { if [[ $2 -eq 0 ]]; then passed=$((passed+1)); echo "ok   $1"; else failed=$((failed+1)); echo "FAIL $1"; fi; }

"$sts" --listen "unix:$tmp/sts.sock" >"$tmp/out" 2>"$tmp/err" &
pid=$!
url=""
for _ in $(seq 1 200); do
  url=$(sed -n 's/^listening \(http+unix:[^ ]*\)$/\1/p' "$tmp/out" 2>/dev/null | head -n1)
  [[ -n "$url" ]] && break
  sleep 0.05
done
[[ -n "$url" ]]; check "the STS listens on a Unix socket ($url)" $?

"$sample" "$url" >"$tmp/token" 2>&1
check "token obtained through the custom transport" $?
grep -q "<saml:Assertion" "$tmp/token"; check "the token is a SAML 2.0 assertion" $?

"$sample" "http+unix://%2Fnonexistent%2Fsts.sock/" >"$tmp/none" 2>&1; rc=$?
[[ $rc -eq 1 ]] && grep -q "no token" "$tmp/none"; check "a socket that does not exist fails cleanly (rc $rc)" $?

"$sample" "http://127.0.0.1/" >/dev/null 2>&1; [[ $? -eq 2 ]]; check "usage error exits 2" $?

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
