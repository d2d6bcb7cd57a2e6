#!/usr/bin/env bash
# The main job: install what is missing, build, and obtain a token.
# Until the sample STS and the command-line client exist, it demonstrates the core: it builds
# a RequestSecurityToken, parses a canned RequestSecurityTokenResponse and prints the token.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$("$root/scripts/build.sh" release)
"$dir/samples/core_demo/wst-core-demo" "$root/tests/data/demo/response.xml"
