/// <reference types="node" />
// A Vite plugin (used by vite.config.ts, runs in Node): serves basic-pitch's model and
// TensorFlow.js's WebAssembly from node_modules in dev and copies them into the build, so no
// large binary is committed and the studio's main bundle stays as it was.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'vite'

const TYPES: Record<string, string> = {
  json: 'application/json',
  bin: 'application/octet-stream',
  wasm: 'application/wasm',
}

/** Public path → file under node_modules; the paths match ASSETS in ./protocol.ts. */
const FILES: Record<string, string> = {
  'transcribe/model/model.json': '@spotify/basic-pitch/model/model.json',
  'transcribe/model/group1-shard1of1.bin': '@spotify/basic-pitch/model/group1-shard1of1.bin',
  ...Object.fromEntries(
    [
      'tfjs-backend-wasm.wasm',
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
    ].map((name) => [`transcribe/wasm/${name}`, `@tensorflow/tfjs-backend-wasm/dist/${name}`]),
  ),
}

/** The transcription's static assets, served in dev and emitted into the client build. */
export function transcribeAssets(root: string): Plugin {
  const file = (path: string) => join(root, 'node_modules', FILES[path]!)
  return {
    name: 'stemfair:transcribe-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0]?.replace(/^\//, '') ?? ''
        if (!(path in FILES)) return next()
        res.setHeader('Content-Type', TYPES[path.split('.').pop()!] ?? 'application/octet-stream')
        res.setHeader('Cache-Control', 'public, max-age=86400')
        res.end(readFileSync(file(path)))
      })
    },
    applyToEnvironment: (environment) => environment.name === 'client',
    generateBundle() {
      for (const path of Object.keys(FILES))
        this.emitFile({ type: 'asset', fileName: path, source: readFileSync(file(path)) })
    },
  }
}
