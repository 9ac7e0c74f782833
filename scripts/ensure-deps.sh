#!/bin/sh
# Installs npm dependencies when node_modules is missing or older than the lockfile.
set -e
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The audio decoders' WebAssembly as files the worker imports (worker/wasm/, not committed).
# Node 22 from node_modules: the machine's Node may be too old to run TypeScript.
node_modules/.bin/node scripts/extract-wasm.ts
