#!/bin/sh
# Installs npm dependencies when node_modules is missing or older than the lockfile.
set -e
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The audio decoders' WebAssembly as files the worker imports (worker/wasm/, not committed).
node scripts/extract-wasm.ts
