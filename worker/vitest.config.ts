import { generateKeyPairSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { unstable_readConfig } from 'wrangler'
import { defineConfig } from 'vitest/config'
import { extractWasm } from '../scripts/extract-wasm.ts'

// This machine is offline: no telemetry, no fetch of the Request.cf placeholder.
process.env.WRANGLER_SEND_METRICS ??= 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * The consumer Worker's queue consumers (wrangler.consumer.toml), as Miniflare takes them. The
 * tests run them in the Worker under test (test/worker/entry.ts: the API's fetch plus the
 * consumer's queue and cron handlers), through the real local queues: the pool runs that Worker
 * through Vite (TypeScript, wasm and raw imports), while an auxiliary Worker would be handed to
 * Miniflare as a prebuilt bundle — a build before every run — and tests that call
 * consumeJobs/consumeEvents directly share the isolate with the handler that the queue calls.
 */
type ConsumerConfig = {
  queue: string
  max_batch_size?: number
  max_batch_timeout?: number
  max_retries?: number
  dead_letter_queue?: string
  retry_delay?: number
}

function consumerQueues() {
  const { queues } = unstable_readConfig({ config: here('../wrangler.consumer.toml') })
  const consumers: ConsumerConfig[] = queues.consumers ?? []
  return Object.fromEntries(
    consumers.map((c) => [
      c.queue,
      {
        maxBatchSize: c.max_batch_size,
        maxBatchTimeout: c.max_batch_timeout,
        maxRetries: c.max_retries,
        deadLetterQueue: c.dead_letter_queue,
        retryDelay: c.retry_delay,
      },
    ]),
  )
}

/** Worker tests run inside workerd with local D1, R2 and Queues and the migrations applied. */
export default defineConfig(async () => {
  await extractWasm() // the decoders' WebAssembly that the worker imports
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here('../wrangler.toml') },
        main: here('../test/worker/entry.ts'),
        miniflare: {
          queueConsumers: consumerQueues(),
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
            TEST_EVENTS_MIGRATIONS: await readD1Migrations(here('./migrations-events')),
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
      // Many tests wait for a real export or ingest through the queue: seconds each on a busy
      // machine, so vitest's 5 s default timed them out (share.test.ts at load 13–23). Nothing
      // here is a timed assertion.
      testTimeout: 30_000,
    },
  }
})
