// Applies D1 migrations to the local state and seeds the demo campaign. Idempotent.
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { MPEGDecoder } from 'mpg123-decoder'
import { getPlatformProxy } from 'wrangler'
import { createMp3EncoderFrom } from '../worker/audio/lame.ts'
import { mp3RoundTrip } from '../worker/audio/mp3-round-trip.ts'
import {
  measureSeedMarkability,
  saveSeedMarkability,
  seedCampaign,
  seedNeedsMarkability,
} from '../worker/seed.ts'
import type { Bindings } from '../worker/env.ts'
import { EVENT_DB_BINDINGS } from '../worker/events/shard.ts'
import { seedInputFrom } from './seed-input.ts'
import { ensureDevVars, root, statePath } from './state.ts'

/** Migrates and seeds the local D1/R2 in `statePath`. */
export async function seedLocal(): Promise<void> {
  ensureDevVars() // the watermark key the markability measure marks with
  // The main database, then each events database (EVENTS_DB_<n>, worker/events/shard.ts).
  for (const binding of ['DB', ...EVENT_DB_BINDINGS])
    execFileSync(
      'npx',
      ['wrangler', 'd1', 'migrations', 'apply', binding, '--local', '--persist-to', statePath],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      },
    )
  const input = await seedInputFrom(`${root}stems`)
  const { needsMarkability, key } = await withLocal(async (env) => {
    const report = await seedCampaign(env, input)
    console.log(
      `seeded “${input.manifest.title}”: ${report.usersCreated} users, ` +
        `${report.objectsWritten} objects, ${report.rowsChanged} rows changed`,
    )
    return { needsMarkability: await seedNeedsMarkability(env, input), key: env.WATERMARK_KEY }
  })
  if (!needsMarkability) return
  // Once per local state, as ingest does for uploaded stems: the export's MP3 round trip with the
  // worker's own LAME and mpg123, compiled here in Node. The local bindings are not held open
  // meanwhile: an idle proxy connection is closed under it.
  const started = performance.now()
  // (Node compiles WebAssembly from bytes; the Workers types this folder sees say it cannot.)
  const compile = (
    WebAssembly as unknown as { compile(b: Uint8Array): Promise<WebAssembly.Module> }
  ).compile
  const lame = await compile(await readFile(`${root}worker/wasm/lame-mp3.wasm`))
  const codec = mp3RoundTrip(
    (options) => createMp3EncoderFrom(lame, options),
    async () => {
      const decoder = new MPEGDecoder()
      await decoder.ready
      return decoder
    },
  )
  const measured = await measureSeedMarkability(input, key, codec)
  if (!measured) return
  await withLocal((env) => saveSeedMarkability(env, input, measured))
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`measured whether its stems carry the watermark (${seconds} s)`)
}

/** Runs `body` with the local D1/R2 bindings (wrangler's platform proxy), then lets them go. */
async function withLocal<T>(body: (env: Bindings) => Promise<T>): Promise<T> {
  const proxy = await getPlatformProxy<Bindings>({
    configPath: `${root}wrangler.toml`,
    persist: { path: `${statePath}/v3` },
  })
  try {
    return await body(proxy.env)
  } finally {
    await proxy.dispose()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await seedLocal()
