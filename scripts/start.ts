// `npm start`: local secrets, migrations and the demo seed, then the production build of the app
// served through the local workers (workerd: the API worker and the consumer Worker that runs the
// jobs, vite.config.ts) on one port — the app as it would be served, without
// the dev server's error overlay. `npm run dev` (STEMFAIR_DEV=1) serves the Vite dev server instead.
import { spawn, spawnSync } from 'node:child_process'
import { seedLocal } from './seed.ts'
import { ensureDevVars, root } from './state.ts'

const port = Number(process.env.PORT ?? 8787)
const dev = process.env.STEMFAIR_DEV === '1'
const started = performance.now()
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

ensureDevVars()
await seedLocal()

if (!dev) {
  // A build takes a few seconds and is always fresh: what is served is what the tree holds.
  console.log('Building the app and the worker…')
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env,
  })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const args = dev ? ['vite'] : ['vite', 'preview']
const server = spawn('npx', [...args, '--port', String(port), '--strictPort'], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
  env,
})
let announced = false
server.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  if (!announced && chunk.toString().includes('Local')) {
    announced = true
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const what = dev ? 'dev server' : 'production build'
    console.log(
      `\n  Stemfair (${what}) is running at http://localhost:${port}/ (ready in ${seconds} s)\n`,
    )
  }
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
