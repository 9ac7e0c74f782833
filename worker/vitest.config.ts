import { generateKeyPairSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { extractWasm } from '../scripts/extract-wasm.ts'

// This machine is offline: no telemetry, no fetch of the Request.cf placeholder.
process.env.WRANGLER_SEND_METRICS ??= 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Worker tests run inside workerd with local D1, R2 and Queues and the migrations applied. */
export default defineConfig(async () => {
  await extractWasm() // the decoders' WebAssembly that the worker imports
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here('../wrangler.toml') },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
            SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
            WATERMARK_KEY: 'test-watermark-key-0123456789abcdef',
            // A fresh manifest-signing key per run: tests read the public half from the JWKS.
            SIGNING_KEY: JSON.stringify(
              generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
            ),
          },
        },
      }),
    ],
    test: {
      name: 'worker',
      root: here('..'),
      include: ['worker/**/*.test.ts', 'test/worker/**/*.test.ts'],
      setupFiles: [here('../test/worker/apply-migrations.ts')],
    },
  }
})
