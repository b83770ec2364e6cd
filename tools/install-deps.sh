#!/usr/bin/env bash
# Installs the Debian 12 packages FlowMind Stream needs to build, test and run its demo (only missing ones).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config git
  libboost1.81-dev libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libssl-dev zlib1g-dev ca-certificates
  libboost-json1.81-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  espeak-ng sox alsa-utils
  curl python3-websockets
  nats-server libnats-dev openssl
  liburing-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
