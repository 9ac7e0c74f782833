import { fileURLToPath } from 'node:url'
import { cloudflare } from '@cloudflare/vite-plugin'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import type { ChunkingContext } from 'rolldown'
import { compressPreview } from './scripts/compress.ts'
import { transcribeAssets } from './web/transcribe/assets.ts'
import { earlyStart } from './web/studio/early-start.ts'
import { earlyRequests } from './web/studio/preload.ts'
import { STUDIO_PATH } from './web/store/route.ts'

// This machine is offline: no telemetry, no fetch of the Request.cf placeholder.
process.env.WRANGLER_SEND_METRICS ??= 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

const root = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * The studio's code in one chunk: every module the studio page imports (statically, however deep)
 * that the app's entry does not. Split as the bundler splits by default, the studio asked for 8
 * chunks on the browser's six connections, and the last came 0.2 s after the first; other pages
 * that share some of it (the campaign page's player, the quick remix) load it whole.
 */
function studioChunk(): (id: string, ctx: ChunkingContext) => string | null {
  const entry = root('./web/main.tsx')
  const studio = root('./web/pages/StudioPage.tsx')
  let inStudio: Set<string> | undefined
  const closure = (from: string, ctx: ChunkingContext) => {
    const seen = new Set<string>()
    const next = [from]
    for (let id = next.pop(); id !== undefined; id = next.pop()) {
      if (seen.has(id)) continue
      seen.add(id)
      next.push(...(ctx.getModuleInfo(id)?.importedIds ?? []))
    }
    return seen
  }
  return (id, ctx) => {
    if (!inStudio) {
      const fromEntry = ctx.getModuleInfo(entry) ? closure(entry, ctx) : new Set<string>()
      inStudio = ctx.getModuleInfo(studio) ? closure(studio, ctx) : new Set<string>()
      for (const shared of fromEntry) inStudio.delete(shared)
    }
    return inStudio.has(id) ? 'studio' : null
  }
}

/**
 * index.html's first script, inline in the built page: at a studio's address it asks for the
 * studio's first requests (earlyRequests) and its chunk at once, while the app's scripts (about
 * 0.1–0.4 s, more on a busy machine) are still on their way. Not in the dev server (no chunks).
 */
function earlyStudio(): Plugin {
  // a slug cannot hold it ([a-z0-9-]) and encodeURIComponent leaves it as it is
  const slug = '_slug_'
  return {
    name: 'stemfair:early-studio',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find(
          (c) => c.type === 'chunk' && c.name === 'studio',
        )
        if (!chunk) return []
        const args = [STUDIO_PATH.source, slug, earlyRequests(slug), `/${chunk.fileName}`]
        const call = `(${earlyStart.toString()})(location.pathname, ${args.map((a) => JSON.stringify(a)).join(', ')})`
        return [{ tag: 'script', children: call, injectTo: 'head-prepend' }]
      },
    },
  }
}

export default defineConfig({
  root: root('./web'),
  envDir: root('.'),
  plugins: [
    react(),
    transcribeAssets(root('.')),
    earlyStudio(),
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
  environments: {
    client: {
      build: {
        rolldownOptions: {
          // what the studio shares with the entry stays in the entry's chunks
          preserveEntrySignatures: 'allow-extension',
          output: {
            codeSplitting: {
              groups: [
                { name: studioChunk(), debugName: 'studio', includeDependenciesRecursively: false },
              ],
            },
          },
        },
      },
    },
  },
  server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 8787), strictPort: true },
  preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 8787), strictPort: true },
  build: { outDir: root('./dist'), emptyOutDir: true, chunkSizeWarningLimit: 800 },
})
