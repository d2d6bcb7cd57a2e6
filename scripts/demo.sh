#!/usr/bin/env bash
# The main job: install what is missing, build, start the sample STS on a free loopback port
# (HTTPS with a certificate generated at start), obtain a token with wst-token, print it, and
# stop the STS.
#   scripts/demo.sh [extra wst-token options]      e.g. --trust 2005 --key-type bearer
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$("$root/scripts/build.sh" release)
sts_bin="$dir/samples/sts/main/wst-sample-sts"
cli_bin="$dir/samples/cli/wst-token"

tmp=$(mktemp -d)
sts_pid=""
cleanup() {
  if [[ -n "$sts_pid" ]] && kill -0 "$sts_pid" 2>/dev/null; then
    kill -TERM "$sts_pid" 2>/dev/null || true
    wait "$sts_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$sts_bin" --listen 127.0.0.1:0 --https --cert-out "$tmp/sts-cert.pem" >"$tmp/sts.out" 2>"$tmp/sts.err" &
sts_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/^listening \(https:[^ ]*\)$/\1/p' "$tmp/sts.out" | head -n1)
  [[ -n "$url" ]] && break
  kill -0 "$sts_pid" 2>/dev/null || { cat "$tmp/sts.err" >&2; echo "demo: the sample STS did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "demo: the sample STS did not report its URL" >&2; exit 1; }
echo "sample STS listening at $url" >&2

"$cli_bin" --sts "$url" --ca-file "$tmp/sts-cert.pem" \
  --trust 1.3 --soap 1.2 --applies-to https://relying-party.example/service \
  --token-type saml20 --key-type symmetric --entropy combined --key-size 256 \
  --token "$@"
status=$?

kill -TERM "$sts_pid"
wait "$sts_pid" && sts_pid=""
exit $status
