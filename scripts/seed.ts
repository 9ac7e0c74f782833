// Applies D1 migrations to the local state and seeds the demo campaign. Idempotent.
import { execFileSync } from 'node:child_process'
import { getPlatformProxy } from 'wrangler'
import { seedCampaign } from '../worker/seed.ts'
import type { Bindings } from '../worker/env.ts'
import { seedInputFrom } from './seed-input.ts'
import { root, statePath } from './state.ts'

/** Migrates and seeds the local D1/R2 in `statePath`. */
export async function seedLocal(): Promise<void> {
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
  } finally {
    await proxy.dispose()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await seedLocal()
