// Global setup for end-to-end tests: a fresh local state, migrated and seeded, and the production
// build served by `vite preview` (worker in workerd) on a free loopback port. Torn down after.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { freePort } from '../support/free-port.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms`)
}

/**
 * A fresh state, migrated and seeded (then `seedMore`, given the state folder, before the server
 * starts), the production build served on a free loopback port; `stop` ends it all.
 */
export async function serve(
  seedMore?: (state: string) => Promise<void>,
): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const state = mkdtempSync(join(tmpdir(), 'stemfair-e2e-'))
  process.env.STEMFAIR_STATE = state
  process.env.WRANGLER_SEND_METRICS = 'false'
  const { ensureDevVars, root } = await import('../../scripts/state.ts')
  ensureDevVars()
  const { extractWasm } = await import('../../scripts/extract-wasm.ts')
  await extractWasm()
  execFileSync('node', ['scripts/seed.ts'], { cwd: root, stdio: 'inherit' })
  await seedMore?.(state)
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })

  const port = await freePort()
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
    detached: true,
  })
  let log = ''
  server.stdout!.on('data', (d) => (log += d))
  server.stderr!.on('data', (d) => (log += d))
  // STEMFAIR_E2E_LOG=<file> keeps vite preview's whole output (each request's status and time,
  // the cause of a 500 "fetch failed") for a run that went wrong after the server came up.
  if (process.env.STEMFAIR_E2E_LOG) {
    const out = createWriteStream(process.env.STEMFAIR_E2E_LOG)
    server.stdout!.pipe(out)
    server.stderr!.pipe(out)
  }
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(baseUrl, server, 60_000)
  } catch (err) {
    console.error(log)
    process.kill(-server.pid!, 'SIGTERM')
    throw err
  }
  const stop = async () => {
    try {
      process.kill(-server.pid!, 'SIGTERM')
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 300))
    rmSync(state, { recursive: true, force: true })
  }
  return { baseUrl, stop }
}

export default async function setup(project: TestProject) {
  const { baseUrl, stop } = await serve()
  project.provide('baseUrl', baseUrl)
  return stop
}
