#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not yet
# installed (apt-get, through sudo when not root). Shared by
# tools/bootstrap.sh and examples/fashion_mnist/reproduce.sh so that both work
# on a fresh machine. CVM_SKIP_DEPS=1 makes it do nothing.
set -euo pipefail

[[ "${CVM_SKIP_DEPS:-0}" == 1 ]] && exit 0
sudo=""
[[ $(id -u) -ne 0 ]] && sudo=sudo
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
