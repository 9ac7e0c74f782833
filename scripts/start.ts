// `npm start`: local secrets, migrations and the demo seed, then the app and API on one port.
import { spawn } from 'node:child_process'
import { seedLocal } from './seed.ts'
import { ensureDevVars, root } from './state.ts'

const port = Number(process.env.PORT ?? 8787)
const started = performance.now()

ensureDevVars()
await seedLocal()

const vite = spawn('npx', ['vite', '--port', String(port), '--strictPort'], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
})
let announced = false
vite.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  if (!announced && chunk.toString().includes('Local')) {
    announced = true
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(`\n  Stemfair is running at http://localhost:${port}/ (ready in ${seconds} s)\n`)
  }
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => vite.kill(signal))
vite.on('exit', (code) => process.exit(code ?? 0))
