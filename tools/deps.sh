#!/usr/bin/env bash
# Installs the Debian packages the build and tests need: all of them when run as root,
# otherwise prints the one command that would. Called by `make`; safe to run again.
set -euo pipefail

packages=(
  clang-19 lld-19 llvm-14 clang-format-14 make python3
  qemu-system-x86 grub-pc-bin grub-common xorriso mtools
  wabt binaryen nodejs bc gcc
  wasi-libc libclang-rt-19-dev-wasm32 libclang-rt-19-dev
  rustc libstd-rust-dev-wasm32
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32
)
# npm (AssemblyScript's compiler comes from the npm registry): NodeSource's nodejs brings
# it, Debian's does not
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing Debian packages; run as root: apt-get update && $cmd" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
