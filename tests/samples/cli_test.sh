#!/usr/bin/env bash
# wst-token end to end: every check prints ok/FAIL; the last line is "N passed, N failed".
set -u
cli=$1
sts=$2
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
check() {  # check NAME CONDITION-EXIT-STATUS
  if [[ $2 -eq 0 ]]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
# start_sts NAME ARGS... : starts the STS, sets $url to its first listening URL
start_sts() {
  local name=$1; shift
  "$sts" --listen 127.0.0.1:0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  url=""
  for _ in $(seq 1 200); do
    url=$(sed -n 's/^listening \([a-z]*:[^ ]*\)$/\1/p' "$tmp/$name.out" 2>/dev/null | head -n1)
    [[ -n "$url" ]] && return 0
    sleep 0.05
  done
  echo "could not start the sample STS ($name)"; cat "$tmp/$name.err"; exit 1
}

# --help and bad command lines
"$cli" --help >"$tmp/help" 2>&1; check "--help exits 0" $?
grep -q "Exit codes" "$tmp/help"; check "--help documents exit codes" $?
"$cli" --sts http://127.0.0.1:1/ --trust 9 >/dev/null 2>&1; [[ $? -eq 2 ]]; check "bad value exits 2" $?
"$cli" --frobnicate >/dev/null 2>&1; [[ $? -eq 2 ]]; check "unknown flag exits 2" $?
"$cli" >/dev/null 2>&1; [[ $? -eq 2 ]]; check "missing --sts exits 2" $?

# plain HTTP, several shapes
start_sts plain
plain=$url
"$cli" --sts "$plain" --trust 1.3 --soap 1.2 --applies-to https://rp.example/ --token-type saml20 \
  --key-type symmetric --entropy combined --key-size 256 >"$tmp/o1" 2>&1
check "1.3 saml20 symmetric combined" $?
grep -q "^key size: *256 bits" "$tmp/o1"; check "summary shows the key size" $?
grep -q "SAMLV2.0" "$tmp/o1"; check "summary shows the token type" $?
! grep -q "^proof key" "$tmp/o1"; check "the proof key is not printed by default" $?

"$cli" --sts "$plain" --trust 2005 --soap 1.1 --addressing 2004 --token-type saml11 --key-type bearer \
  --json --token >"$tmp/o2" 2>&1
check "2005 soap11 saml11 bearer" $?
grep -q '"ok":true' "$tmp/o2" && grep -q '"key_type":"bearer"' "$tmp/o2" && grep -q 'saml:Assertion' "$tmp/o2"
check "JSON output with the token" $?

"$cli" --sts "$plain" --token-type sct --action new-context --sc 1.3 --trust 1.3 --show-key >"$tmp/o3" 2>&1
check "SCT new context" $?
grep -Eq "^proof key: *[0-9a-f]{32,}" "$tmp/o3"; check "--show-key prints the key" $?
grep -q "^context: *urn:uuid:" "$tmp/o3"; check "the SCT context id is shown" $?

"$cli" --sts "$plain" --token-type saml20 --output "$tmp/token.xml" >/dev/null 2>&1
check "--output succeeds" $?
[[ "$(stat -c %a "$tmp/token.xml")" == 600 ]] && grep -q "<saml:Assertion" "$tmp/token.xml"
check "--output writes the token with mode 0600" $?

# exit code classes
"$cli" --sts "$plain" --key-type bearer --key-size 256 --json >"$tmp/o4" 2>&1; rc=$?
[[ $rc -eq 3 ]] && grep -q '"ok":false' "$tmp/o4"; check "invalid request exits 3 with a JSON error (got $rc)" $?
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$cli" --sts "http://127.0.0.1:$port/" >/dev/null 2>&1; rc=$?
[[ $rc -eq 4 ]]; check "connection refused exits 4 (got $rc)" $?

start_sts tls --https --cert-out "$tmp/ca.pem"
tls=$url
"$cli" --sts "$tls" --ca-file "$tmp/ca.pem" --token-type saml20 >/dev/null 2>&1
check "https with the STS CA" $?
"$cli" --sts "$tls" --token-type saml20 >"$tmp/o5" 2>&1; rc=$?
[[ $rc -eq 5 ]]; check "https without trusting the CA exits 5 (got $rc)" $?

printf 'alice:wonderland\n' >"$tmp/users"
start_sts auth --users "$tmp/users"
auth=$url
"$cli" --sts "$auth" --username alice --password wonderland --token-type saml11 >/dev/null 2>&1
check "UsernameToken accepted" $?
"$cli" --sts "$auth" --username alice --password Xyzzy-Secret-42 --token-type saml11 >"$tmp/o6" 2>&1; rc=$?
[[ $rc -eq 6 ]]; check "bad password exits 6 (got $rc)" $?
! grep -q Xyzzy-Secret-42 "$tmp/o6"; check "the password is not echoed" $?
printf 'wonderland\n' >"$tmp/pw"
"$cli" --sts "$auth" --basic-user alice --basic-password-file "$tmp/pw" --token-type saml11 >/dev/null 2>&1
check "HTTP Basic accepted" $?

start_sts garbage --fault garbage
"$cli" --sts "$url" --token-type saml20 >/dev/null 2>&1; rc=$?
[[ $rc -eq 7 || $rc -eq 4 ]]; check "garbage reply exits 7 or 4 (got $rc)" $?

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
