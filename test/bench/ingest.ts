// Play events through the real worker: the production build served by `vite preview` (workerd,
// local D1) with the demo campaign, one ready export, then concurrent clients posting plays.
import { encodeWav } from '../../core/audio/wav.ts'
import type {
  CampaignDetail,
  CampaignStats,
  ExportView,
  RemixView,
} from '../../core/campaign/views.ts'
import { defaultRecipeFrom } from '../../core/recipe/default.ts'
import startApp from '../e2e/server.ts'

export type IngestResult = {
  sent: number
  distinct: number
  seconds: number
  perSecond: number
  p50: number
  p99: number
  counted: number
}

async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (!res.ok) throw new Error(`login failed: ${res.status}`)
  return res.headers.get('set-cookie')!.split(';')[0]!
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** A ready export of the default remix (a silent render is enough: plays are what is measured). */
async function readyExport(base: string, fan: string): Promise<string> {
  const { campaign } = await json<{ campaign: CampaignDetail }>(
    await fetch(`${base}/api/campaigns/copper-moons`),
  )
  const recipe = defaultRecipeFrom(campaign)
  const { remix } = await json<{ remix: RemixView }>(
    await fetch(`${base}/api/remixes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: fan },
      body: JSON.stringify({ campaign: campaign.slug, title: 'Bench remix', recipe }),
    }),
  )
  const frames = Math.round(recipe.length * campaign.sampleRate)
  const wav = encodeWav([new Float32Array(frames), new Float32Array(frames)], campaign.sampleRate)
  let { export: view } = await json<{ export: ExportView }>(
    await fetch(`${base}/api/exports?remix=${remix.id}&version=${remix.version}`, {
      method: 'POST',
      headers: { 'Content-Type': 'audio/wav', Cookie: fan },
      body: new Blob([wav as Uint8Array<ArrayBuffer>]),
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
  if (view.status !== 'ready') throw new Error(`export ${view.status}: ${view.reason}`)
  return view.id
}

/** Posts `distinct` plays (plus one replay in ten) with `clients` concurrent clients. */
export async function measureIngest(distinct = 4000, clients = 32): Promise<IngestResult> {
  let base = ''
  const stop = (await startApp({
    provide: (_k: string, v: string) => (base = v),
  } as never)) as () => Promise<void>
  try {
    const fan = await login(base, 'fan@stemfair.test', 'remix-it-all-26')
    const exportId = await readyExport(base, fan)
    const listeners = Array.from({ length: distinct }, (_, i) => `bench-listener-${i}`)
    const events = [...listeners, ...listeners.filter((_, i) => i % 10 === 0)]
    const latencies = new Float64Array(events.length)
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = next++; i < events.length; i = next++) {
          const t = performance.now()
          const res = await fetch(`${base}/api/share/${exportId}/plays`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ listener: events[i] }),
          })
          await res.arrayBuffer()
          if (res.status !== 202) throw new Error(`play answered ${res.status}`)
          latencies[i] = performance.now() - t
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    latencies.sort()
    const artist = await login(base, 'artist@stemfair.test', 'copper-moons-26')
    const { stats } = await json<{ stats: CampaignStats }>(
      await fetch(`${base}/api/campaigns/copper-moons/stats`, { headers: { Cookie: artist } }),
    )
    return {
      sent: events.length,
      distinct,
      seconds,
      perSecond: events.length / seconds,
      p50: latencies[Math.floor(latencies.length * 0.5)]!,
      p99: latencies[Math.floor(latencies.length * 0.99)]!,
      counted: stats.totals.plays,
    }
  } finally {
    await stop()
  }
}
