import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { fixtureFrom } from '../../core/analysis/testing/fixtures.ts'
import { loudnessFrom } from '../../core/analysis/loudness.ts'
import { analyseMix } from '../../core/analysis/mix.ts'
import type { CampaignAnalysis, Loudness } from '../../core/analysis/types.ts'
import { encodeWav } from '../../core/audio/wav.ts'
import type { AuthorStem } from '../../core/api/authoring.ts'
import type { Job } from '../../worker/jobs/job.ts'
import { analyseCampaign } from '../../worker/ingest/campaign-analysis.ts'
import { runIngestJob } from '../../worker/ingest/job.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { ARTIST, manifest, seedInput } from './fixture.ts'
import { call, login } from './http.ts'
import { uploadMaster } from './upload-fixture.ts'

let artist: string

beforeAll(async () => {
  await seedCampaign(env, await seedInput())
  artist = await login(ARTIST.email, ARTIST.password)
})

/** A draft campaign of the test artist: the seeded one's row under a new id and slug, unanalysed. */
async function draftCampaign(): Promise<string> {
  const seeded = await env.DB.prepare('SELECT * FROM campaigns WHERE slug = ?1')
    .bind(manifest.slug)
    .first<Record<string, unknown>>()
  const id = `cmp-analysis-${crypto.randomUUID().slice(0, 8)}`
  const row: Record<string, unknown> = { ...seeded!, id, slug: id, status: 'draft', analysis: null }
  const columns = Object.keys(row)
  await env.DB.prepare(
    `INSERT INTO campaigns (${columns.join(', ')}) VALUES (${columns.map((_, i) => `?${i + 1}`).join(', ')})`,
  )
    .bind(...columns.map((c) => row[c] ?? null))
    .run()
  return id
}

const uploadStem = (campaignId: string, bytes: Uint8Array, fileName: string) =>
  uploadMaster(campaignId, bytes, fileName, artist)

type Row = { ingest_status: string; analysis: string }

async function campaignAnalysis(campaignId: string): Promise<CampaignAnalysis | null> {
  const row = await env.DB.prepare('SELECT analysis FROM campaigns WHERE id = ?1')
    .bind(campaignId)
    .first<{ analysis: string | null }>()
  return row?.analysis ? (JSON.parse(row.analysis) as CampaignAnalysis) : null
}

describe('analysis at ingest', () => {
  // 120 BPM, A minor by construction: drums and bass for 8 bars, chords over the last 4.
  const fixture = fixtureFrom({
    tempo: 120,
    tonic: 9,
    mode: 'minor',
    sampleRate: 44100,
    sections: [
      { bars: 4, drums: true, bass: true, chords: false, lead: false, progression: 0 },
      { bars: 4, drums: true, bass: true, chords: true, lead: false, progression: 0 },
    ],
  })
  const parts = ['drums', 'bass', 'chords'] as const

  it('analyses the campaign once its last uploaded stem is ready, and measures each stem', async () => {
    const campaignId = await draftCampaign()
    expect(await campaignAnalysis(campaignId)).toBeNull()
    const ids = new Map<string, string>()
    for (const part of parts) {
      const bytes = encodeWav(fixture.stems[part], fixture.sampleRate, { encoding: 'pcm24' })
      ids.set(part, (await uploadStem(campaignId, bytes, `${part}.wav`)).id)
    }
    await vi.waitFor(async () => expect(await campaignAnalysis(campaignId)).not.toBeNull(), {
      timeout: 120_000,
      interval: 200,
    })
    const analysis = (await campaignAnalysis(campaignId))!
    expect(Math.abs(analysis.tempo - 120)).toBeLessThan(1)
    expect(analysis.downbeats.length).toBeGreaterThanOrEqual(7)
    expect(analysis.sections.length).toBeGreaterThanOrEqual(1)
    // The key the full-rate analysis of the same mix finds (this fixture reads as A major there too).
    expect(analysis.key).toBe(analyseMix(fixture.mix, fixture.sampleRate).key)
    const mixFull = loudnessFrom(fixture.mix, fixture.sampleRate)
    expect(Math.abs(analysis.loudness.integratedLufs - mixFull.integratedLufs)).toBeLessThan(2)

    for (const part of parts) {
      const row = (await env.DB.prepare('SELECT ingest_status, analysis FROM stems WHERE id = ?1')
        .bind(ids.get(part))
        .first<Row>())!
      expect(row.ingest_status).toBe('ready')
      const stem = JSON.parse(row.analysis) as {
        loudness: Loudness
        activity: { startBar: number; endBar: number }[]
      }
      // Measured while streaming the master at its own rate: the same as the whole-signal meter.
      const full = loudnessFrom(fixture.stems[part], fixture.sampleRate)
      expect(stem.loudness.integratedLufs).toBeGreaterThan(-40)
      expect(stem.loudness.integratedLufs).toBeLessThan(0)
      expect(Math.abs(stem.loudness.integratedLufs - full.integratedLufs)).toBeLessThan(0.05)
      expect(Math.abs(stem.loudness.rangeLu - full.rangeLu)).toBeLessThan(0.05)
      expect(Math.abs(stem.loudness.truePeakDbtp - full.truePeakDbtp)).toBeLessThan(0.1)
      expect(stem.activity.length).toBeGreaterThan(0)
    }
    const chords = JSON.parse(
      (await env.DB.prepare('SELECT analysis FROM stems WHERE id = ?1')
        .bind(ids.get('chords'))
        .first<Row>())!.analysis,
    ) as { activity: { startBar: number; endBar: number }[] }
    // The chords enter at bar 4 (±1 for where the tracked grid puts bar 0).
    expect(Math.abs(chords.activity[0]!.startBar - 4)).toBeLessThanOrEqual(1)

    // Running it again rewrites the same analysis.
    await analyseCampaign(env, campaignId)
    expect(await campaignAnalysis(campaignId)).toEqual(analysis)
  }, 180_000)

  it('leaves the analysis null when a stem has no analysis copy, and keeps the stems playable', async () => {
    const campaignId = await draftCampaign()
    const bytes = encodeWav(fixture.stems.bass, fixture.sampleRate, { encoding: 'pcm16' })
    const stem = await uploadStem(campaignId, bytes, 'bass.wav')
    await vi.waitFor(
      async () => {
        const row = await env.DB.prepare('SELECT ingest_status FROM stems WHERE id = ?1')
          .bind(stem.id)
          .first<Row>()
        expect(row?.ingest_status).toBe('ready')
        expect(await campaignAnalysis(campaignId)).not.toBeNull()
      },
      { timeout: 60_000, interval: 200 },
    )
    await env.DB.prepare('UPDATE campaigns SET analysis = NULL WHERE id = ?1')
      .bind(campaignId)
      .run()
    await env.MEDIA.delete(`analysis/${campaignId}/${stem.id}/mono.f32`)
    await analyseCampaign(env, campaignId)
    expect(await campaignAnalysis(campaignId)).toBeNull()
    const audio = await call(`/api/stems/${stem.id}/audio`, { headers: { Cookie: artist } })
    expect(audio.status).toBe(200)
    await audio.arrayBuffer()
  }, 120_000)

  it('ingests a campaign’s stems in parallel: the last one queues the analysis once; a failing one leaves nothing', async () => {
    const campaignId = await draftCampaign()
    const stems: AuthorStem[] = []
    for (const part of parts) {
      const bytes = encodeWav(fixture.stems[part], fixture.sampleRate, { encoding: 'pcm24' })
      stems.push(await uploadStem(campaignId, bytes, `${part}.wav`))
    }
    const status = async (id: string) =>
      (await env.DB.prepare('SELECT ingest_status, ingest_error FROM stems WHERE id = ?1')
        .bind(id)
        .first<{ ingest_status: string; ingest_error: string | null }>())!
    await vi.waitFor(
      async () => {
        for (const s of stems) expect((await status(s.id)).ingest_status).toBe('ready')
      },
      { timeout: 120_000, interval: 200 },
    )
    // Process them again, all at once, outside the queue: the ingest queue records what they send.
    const sent: { job: Job; processing: number }[] = []
    const record = async (job: Job) => {
      const row = await env.DB.prepare(
        `SELECT COUNT(*) AS n FROM stems WHERE campaign_id = ?1 AND ingest_status = 'processing'`,
      )
        .bind(campaignId)
        .first<{ n: number }>()
      sent.push({ job, processing: row!.n })
    }
    const recording = {
      ...env,
      INGEST: {
        send: record,
        sendBatch: async (batch: { body: Job }[]) => {
          for (const m of batch) await record(m.body)
        },
      } as unknown as Queue<Job>,
    }
    // The third stem's master is cut short: it fails mid-ingest.
    const broken = stems[2]!
    const { master_key: masterKey } = (await env.DB.prepare(
      'SELECT master_key FROM stems WHERE id = ?1',
    )
      .bind(broken.id)
      .first<{ master_key: string }>())!
    const whole = new Uint8Array(await (await env.MEDIA.get(masterKey))!.arrayBuffer())
    const cut = whole.slice(0, Math.floor(whole.length * 0.6))
    // Keep the header's announced length (a WAV whose data stops early).
    await env.MEDIA.put(masterKey, cut)
    await env.MEDIA.delete(stems.flatMap((s) => [`stems/${campaignId}/${s.id}/rendition.mp3`]))
    await env.DB.prepare(`UPDATE stems SET ingest_status = 'processing' WHERE campaign_id = ?1`)
      .bind(campaignId)
      .run()
    await Promise.all(stems.map((s) => runIngestJob(recording, s.id)))
    const analyses = sent.filter((s) => s.job.type === 'campaign-analysis')
    expect(analyses).toEqual([{ job: { type: 'campaign-analysis', campaignId }, processing: 0 }])
    expect((await status(stems[0]!.id)).ingest_status).toBe('ready')
    expect((await status(stems[1]!.id)).ingest_status).toBe('ready')
    expect(await status(broken.id)).toEqual({
      ingest_status: 'failed',
      ingest_error: expect.stringMatching(/truncated/),
    })
    for (const key of [
      `stems/${campaignId}/${broken.id}/rendition.mp3`,
      `peaks/${campaignId}/${broken.id}/peaks.json`,
      `analysis/${campaignId}/${broken.id}/mono.f32`,
    ])
      expect(await env.MEDIA.head(key)).toBeNull()
    for (const s of stems.slice(0, 2))
      expect(await env.MEDIA.head(`stems/${campaignId}/${s.id}/rendition.mp3`)).not.toBeNull()
  }, 180_000)
})
