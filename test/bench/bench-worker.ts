import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../support/free-port.ts'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

/**
 * Runs `main` (a bench's own worker module) under `wrangler dev` on a free loopback port, with a
 * throwaway state directory, until `use` settles; then stops wrangler and removes the directory.
 * `ready` is polled (every 0.5 s, up to 2 minutes) until it answers true. Wrangler runs on this
 * process's Node (the project's), whatever `node` is first on PATH.
 */
export async function withBenchWorker<T>(
  name: string,
  main: string,
  ready: (url: string) => Promise<boolean>,
  use: (url: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`))
  const config = join(dir, 'wrangler.toml')
  writeFileSync(
    config,
    `name = "${name}"\nmain = "${main}"\ncompatibility_date = "2026-10-01"\nsend_metrics = false\n`,
  )
  const port = await freePort()
  const wrangler = spawn(
    process.execPath,
    [
      here('../../node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--config',
      config,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      dir,
    ],
    {
      stdio: process.env.DEBUG_WRANGLER ? 'inherit' : 'ignore',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  )
  const url = `http://127.0.0.1:${port}`
  try {
    for (let tries = 0; ; tries++) {
      try {
        if (await ready(url)) break
      } catch {
        // not listening yet
      }
      if (tries > 240) throw new Error(`the bench worker ${name} did not start`)
      await new Promise((r) => setTimeout(r, 500))
    }
    return await use(url)
  } finally {
    if (wrangler.exitCode === null) {
      const exited = new Promise((r) => wrangler.once('exit', r))
      wrangler.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
}
