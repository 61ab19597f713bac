#!/usr/bin/env bash
# Installs what the test suite needs from Debian on a machine that has never seen tstack:
# the official OpenStack CLI and Tempest (they run on /usr/bin/python3), and QEMU, which boots
# the default image in a test. Idempotent.
set -euo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"
packages=()
command -v openstack >/dev/null 2>&1 || packages+=(python3-openstackclient)
command -v tempest >/dev/null 2>&1 || packages+=(tempest python3-stestr)
/usr/bin/python3 -c 'import swiftclient' 2>/dev/null || packages+=(python3-swiftclient)
command -v qemu-system-x86_64 >/dev/null 2>&1 || packages+=(qemu-system-x86)
if [ "${#packages[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: apt-get install ${packages[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q "${packages[@]}" >&2 \
    || { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q "${packages[@]}" >&2; }
fi
