#!/bin/sh
# Rebuilds dsp.wasm from dsp.c (needs clang and wasm-ld with the wasm32 target; CI and `npm start`
# use the committed dsp.wasm). No -ffast-math: the kernels give the same bits as the JS they replace.
set -e
cd "$(dirname "$0")"
"${CLANG:-clang}" --target=wasm32 -nostdlib -ffreestanding -msimd128 -O3 -fno-builtin \
  -Wall -Wextra -Werror -Wl,--no-entry -Wl,--export-dynamic -Wl,--strip-debug \
  -Wl,-z,stack-size=65536 -Wl,--initial-memory=2097152 \
  -o "${1:-dsp.wasm}" dsp.c render.c
