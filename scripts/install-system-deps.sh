#!/usr/bin/env bash
# Installs the Debian packages Vigil's tests use (real servers and clients, not mocks): PostgreSQL,
# mosquitto-clients (mosquitto_pub against the hub), iproute2 (`ss`, the agent's live-machine oracle),
# util-linux (`last`/`lastb`, the login collector's oracle; essential on Debian, listed to say so),
# openssl (X.509 test certificates), chromium (the dashboard's browser tests, driven by playwright-core).
# Idempotent and quiet when everything is already there. Needs root or sudo.
set -euo pipefail

packages=(postgresql mosquitto mosquitto-clients iproute2 util-linux openssl chromium)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
