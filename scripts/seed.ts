// Applies D1 migrations to the local state and seeds the demo campaign. Idempotent.
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { MPEGDecoder } from 'mpg123-decoder'
import { getPlatformProxy } from 'wrangler'
import { createMp3EncoderFrom } from '../worker/audio/lame.ts'
import { mp3RoundTrip } from '../worker/audio/mp3-round-trip.ts'
import { seedCampaign, seedMarkability } from '../worker/seed.ts'
import type { Bindings } from '../worker/env.ts'
import { seedInputFrom } from './seed-input.ts'
import { ensureDevVars, root, statePath } from './state.ts'

/** Migrates and seeds the local D1/R2 in `statePath`. */
export async function seedLocal(): Promise<void> {
  ensureDevVars() // the watermark key the markability measure marks with
  execFileSync(
    'npx',
    ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', statePath],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    },
  )
  const input = await seedInputFrom(`${root}stems`)
  const proxy = await getPlatformProxy<Bindings>({
    configPath: `${root}wrangler.toml`,
    persist: { path: `${statePath}/v3` },
  })
  try {
    const report = await seedCampaign(proxy.env, input)
    console.log(
      `seeded “${input.manifest.title}”: ${report.usersCreated} users, ` +
        `${report.objectsWritten} objects, ${report.rowsChanged} rows changed`,
    )
    // The export's MP3 round trip with the worker's own LAME and mpg123, compiled here in Node.
    const lame = new WebAssembly.Module(await readFile(`${root}worker/wasm/lame-mp3.wasm`))
    const codec = mp3RoundTrip(
      (options) => createMp3EncoderFrom(lame, options),
      async () => {
        const decoder = new MPEGDecoder()
        await decoder.ready
        return decoder
      },
    )
    const started = performance.now()
    if (await seedMarkability(proxy.env, input, proxy.env.WATERMARK_KEY, codec))
      console.log(
        `measured whether its stems carry the watermark (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      )
  } finally {
    await proxy.dispose()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await seedLocal()
