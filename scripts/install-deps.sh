#!/usr/bin/env bash
# Installs the Debian packages scnn needs. Idempotent: when everything is present it only checks (< 1 s).
# Usage: scripts/install-deps.sh [--dev]   (--dev adds clang for fuzzing; PyTorch is always installed: CI
#        runs a tiny SC-aware training and the torch round trip of the Python module)
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config
  libboost-dev catch2 libcli11-dev libfmt-dev nlohmann-json3-dev libbenchmark-dev
  libonnx-dev libprotobuf-dev protobuf-compiler zlib1g-dev
  dataset-fashion-mnist gnuplot-nox
  gcc-avr avr-libc binutils-avr simavr libsimavr-dev libelf-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  verilator iverilog yosys qflow-tech-osu018
  pybind11-dev python3-dev python3-numpy python3-pytest
  python3-torch python3-onnx
)
if [[ "${1:-}" == "--dev" ]]; then
  pkgs+=(clang)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "scnn: installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
