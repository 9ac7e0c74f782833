// Where the worker isolate's time goes while 64 clients redeem play tickets, beside the no-op
// route (the isolate's inspector CPU profile, test/bench/workerd-inspector.ts). Run:
//   PATH=$PWD/node_modules/.bin:$PATH node --no-warnings=ExperimentalWarning test/bench/ledger-profile.ts
// The sampled ms include time the thread was descheduled or blocked in a synchronous native call
// (storage writes), so read them as shares, not CPU; workerd's CPU per request is printed beside.
// Only this isolate is profiled: the local queue broker and D1 run in miniflare's own workers.
import { createServer } from 'node:net'
import { loadavg } from 'node:os'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { defaultRecipeFrom } from '../../core/recipe/default.ts'
import startApp from '../e2e/server.ts'
import { Inspector, profileDuring } from './workerd-inspector.ts'
import { childCpuMs } from './workerd-memory.ts'

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
async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}
let base = ''
const stop = (await startApp({
  provide: (_k: string, v: string) => (base = v),
} as never)) as () => Promise<void>
try {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'fan@stemfair.test', password: 'remix-it-all-26' }),
  })
  const fan = login.headers.get('set-cookie')!.split(';')[0]!
  const { campaign } = await json<{ campaign: CampaignDetail }>(
    await fetch(`${base}/api/campaigns/copper-moons`),
  )
  const { remix } = await json<{ remix: RemixView }>(
    await fetch(`${base}/api/remixes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: fan },
      body: JSON.stringify({
        campaign: campaign.slug,
        title: 'P',
        recipe: { ...defaultRecipeFrom(campaign), length: 30 },
      }),
    }),
  )
  let { export: view } = await json<{ export: ExportView }>(
    await fetch(`${base}/api/exports`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': crypto.randomUUID(),
        Cookie: fan,
      },
      body: JSON.stringify({ remix: remix.id, version: remix.version }),
    }),
  )
  while (view.status === 'queued' || view.status === 'processing') {
    await new Promise((r) => setTimeout(r, 250))
    view = (
      await json<{ export: ExportView }>(
        await fetch(`${base}/api/exports/${view.id}`, { headers: { Cookie: fan } }),
      )
    ).export
  }
  const exportId = view.id
  const N = Number(process.env.N ?? 400)
  const ready: { cookie: string; address: string; ticket: string }[] = new Array(N)
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < N; i = next++) {
        const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
        const page = await fetch(`${base}/api/share/${exportId}`, {
          headers: { 'CF-Connecting-IP': address },
        })
        await page.arrayBuffer()
        const cookie = page.headers
          .getSetCookie()
          .find((c) => c.startsWith('sf_listener='))!
          .split(';')[0]!
        const headers = { Cookie: cookie, 'CF-Connecting-IP': address }
        const { ticket } = await json<{ ticket: string }>(
          await fetch(`${base}/api/share/${exportId}/tickets`, { method: 'POST', headers }),
        )
        await (await fetch(`${base}/api/share/${exportId}/audio`, { headers })).arrayBuffer()
        ready[i] = { cookie, address, ticket }
      }
    }),
  )
  await new Promise((r) => setTimeout(r, 31_000))
  const req = (l: (typeof ready)[number]): RequestInit => ({
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Cookie: l.cookie,
      'CF-Connecting-IP': l.address,
    },
    body: JSON.stringify({ ticket: l.ticket }),
  })
  const inspector = await Inspector.open(inspectorPort, 'stemfair', `${base}/api/health`)
  const run = async (url: (i: number) => string, label: string) => {
    const cpu0 = childCpuMs()
    let n = 0
    const t0 = performance.now()
    const [, prof] = await profileDuring(inspector, async () => {
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          for (let i = n++; i < N; i = n++) {
            const res = await fetch(url(i), req(ready[i]!))
            const body = await res.text()
            if (res.status >= 300 && res.status !== 202) throw new Error(`${res.status} ${body}`)
          }
        }),
      )
    })
    const s = (performance.now() - t0) / 1000
    const cpu1 = childCpuMs()
    console.log(
      `${label}: ${Math.round(N / s)}/s, workerd ${((cpu1.workerd - cpu0.workerd) / N).toFixed(2)} ms/req, ` +
        `isolate profile ${(prof.totalMs / N).toFixed(2)} ms/req (load ${loadavg()[0]!.toFixed(2)})`,
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
  await run(() => `${base}/api/health/live`, 'no-op')
  await run(() => `${base}/api/share/${exportId}/plays`, 'plays')
  await new Promise((r) => setTimeout(r, 5000))
  inspector.close()
} finally {
  await stop()
}
