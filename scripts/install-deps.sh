#!/usr/bin/env bash
# Installs the Debian 12 packages wst builds, tests and demonstrates with. Idempotent: when
# everything is present it only checks (no network, about a second).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  libcaf-dev librapidxml-dev libbotan-2-dev libuv1-dev node-llhttp
  libboost-test-dev libbenchmark-dev
  xmlsec1 libxml2-utils opensaml-schemas xmltooling-schemas
  gnuplot-nox clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
