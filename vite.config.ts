import { fileURLToPath } from 'node:url'
import { cloudflare } from '@cloudflare/vite-plugin'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { compressPreview } from './scripts/compress.ts'
import { transcribeAssets } from './web/transcribe/assets.ts'

// This machine is offline: no telemetry, no fetch of the Request.cf placeholder.
process.env.WRANGLER_SEND_METRICS ??= 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

const root = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: root('./web'),
  envDir: root('.'),
  plugins: [
    react(),
    transcribeAssets(root('.')),
    // before cloudflare(): its preview middleware answers every request
    compressPreview(),
    cloudflare({
      configPath: root('./wrangler.toml'),
      // The queue consumers and the cron in their own Worker (and isolate), sharing the local
      // D1, R2 and queues: a long job never stalls a request.
      auxiliaryWorkers: [{ configPath: root('./wrangler.consumer.toml') }],
      persistState: { path: process.env.STEMFAIR_STATE ?? root('./.wrangler/state') },
      // benches read the worker's heap through its inspector (test/bench/workerd-inspector.ts)
      inspectorPort: Number(process.env.STEMFAIR_INSPECTOR_PORT) || undefined,
    }),
  ],
  server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 8787), strictPort: true },
  preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 8787), strictPort: true },
  build: { outDir: root('./dist'), emptyOutDir: true, chunkSizeWarningLimit: 800 },
})
