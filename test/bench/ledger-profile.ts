// Where the worker isolate's time goes while 64 clients redeem play tickets, beside the no-op
// route (the isolate's inspector CPU profile, test/bench/workerd-inspector.ts). Run:
//   PATH=$PWD/node_modules/.bin:$PATH node --no-warnings=ExperimentalWarning test/bench/ledger-profile.ts
// The sampled ms include time the thread was descheduled or blocked in a synchronous native call
// (storage writes), so read them as shares, not CPU; workerd's CPU per request is printed beside.
// Only this isolate is profiled: the local queue broker and D1 run in miniflare's own workers.
// The listeners, the export and the client loop are those of the ledger bench (./ingest.ts).
import { createServer } from 'node:net'
import startApp from '../e2e/server.ts'
import {
  drive,
  finishListening,
  login,
  playRequest,
  prepareListeners,
  readyExport,
  send,
} from './ingest.ts'
import { Inspector, profileDuring } from './workerd-inspector.ts'

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
const inspectorPort = await freePort()
process.env.STEMFAIR_INSPECTOR_PORT = String(inspectorPort)
let base = ''
const stop = (await startApp({
  provide: (_k: string, v: string) => (base = v),
} as never)) as () => Promise<void>
try {
  const fan = await login(base, 'fan@stemfair.test', 'remix-it-all-26')
  const exportId = await readyExport(base, fan)
  const N = Number(process.env.N ?? 400)
  const ready = await prepareListeners(base, exportId, N)
  const inspector = await Inspector.open(inspectorPort, 'stemfair', `${base}/api/health`)
  const run = async (url: string, label: string, expected: number) => {
    const [t, prof] = await profileDuring(inspector, () =>
      drive(
        64,
        N,
        (i) => send(url, playRequest(ready[i]!)),
        (res, _i, body) => {
          if (res.status !== expected) throw new Error(`${label}: ${res.status} ${body}`)
        },
      ),
    )
    console.log(
      `${label}: ${Math.round(t.perSecond)}/s, p99 ${t.p99.toFixed(1)} ms, workerd ${t.cpu.workerd.toFixed(2)} ms/req, ` +
        `vite ${t.cpu.vite.toFixed(2)} ms/req, isolate profile ${(prof.totalMs / N).toFixed(2)} ms/req ` +
        `(load ${t.load.toFixed(2)})`,
    )
    const top = (m: Map<string, number>, k: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([f, ms]) => `  ${(ms / N).toFixed(3)} ${f}`)
        .join('\n')
    console.log(' self:\n' + top(prof.self, 30))
    console.log(' inclusive:\n' + top(prof.inclusive, 40))
  }
  await run(`${base}/api/health/live`, 'no-op', 200)
  await finishListening(base, exportId, ready)
  await run(`${base}/api/share/${exportId}/plays`, 'plays', 202)
  await new Promise((r) => setTimeout(r, 5000))
  inspector.close()
} finally {
  await stop()
}
