import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import voxMp3 from '../../stems/audio/vox.mp3?inline'
import bassMp3 from '../../stems/audio/bass.mp3?inline'
import { monoOf } from '../../core/fingerprint/fingerprint.ts'
import { seededRandom } from '../../core/lib/random.ts'
import { decodeAudio } from '../../worker/audio/decode.ts'
import { printOf, runFingerprintJob } from '../../worker/fingerprint/index-stem.ts'
import { seedCampaign, stemIdFor } from '../../worker/seed.ts'
import { manifest, seedInput } from './fixture.ts'

// Fingerprinting is CPU-bound and this machine is shared: generous waits, no timing asserted.
const SLOW = { timeout: 300_000 }
const COPY = 'copy-cat'

const bytesOf = async (dataUrl: string) =>
  new Uint8Array(await (await fetch(dataUrl)).arrayBuffer())

let vox: Float32Array
let rate = 0

beforeAll(async () => {
  const decoded = await decodeAudio(await bytesOf(voxMp3), 120)
  vox = monoOf(decoded.channels)
  rate = decoded.sampleRate
  const bass = await decodeAudio(await bytesOf(bassMp3), 120)
  const input = await seedInput()
  // The demo campaign with two of its stems' real audio indexed, as the seed does.
  input.stems = input.stems.map((s) =>
    s.manifest.id === 'vox'
      ? { ...s, print: printOf(vox, rate) }
      : s.manifest.id === 'bass'
        ? { ...s, print: printOf(monoOf(bass.channels), bass.sampleRate) }
        : s,
  )
  await seedCampaign(env, input)
  // Another campaign whose stems arrive through ingest, without audio at seed.
  await seedCampaign(env, { ...(await seedInput()), manifest: { ...manifest, slug: COPY } })
}, SLOW.timeout)

async function matchesOf(stemId: string) {
  const { results } = await env.DB.prepare('SELECT * FROM stem_matches WHERE stem_id = ?1')
    .bind(stemId)
    .all<Record<string, number | string>>()
  return results
}

/** Puts a stem's mono analysis copy where ingest leaves it, as ingest does. */
async function putAnalysisCopy(stemId: string, pcm: Float32Array) {
  await env.MEDIA.put(`analysis/cmp-${COPY}/${stemId}/mono.f32`, pcm, {
    customMetadata: { sampleRate: String(rate), channels: '1' },
  })
}

describe('fingerprint index at ingest', () => {
  it('indexes the seeded stems without flagging stems of their own campaign', SLOW, async () => {
    const { results } = await env.DB.prepare(
      'SELECT stem_id, hashes, indexed_at FROM fingerprint_stems ORDER BY stem_id',
    ).all<{ stem_id: string; hashes: number; indexed_at: string }>()
    expect(results.map((r) => r.stem_id)).toEqual([
      stemIdFor(manifest.slug, 'bass'),
      stemIdFor(manifest.slug, 'vox'),
    ])
    for (const r of results) expect(r.hashes).toBeGreaterThan(1000)
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM fingerprint_hashes').first<{
      n: number
    }>()
    expect(rows!.n).toBe(results.reduce((n, r) => n + r.hashes, 0))
    expect(await matchesOf(stemIdFor(manifest.slug, 'vox'))).toEqual([])
  })

  it('flags an upload that reuses another campaign’s stem, with where it lies', SLOW, async () => {
    const copy = stemIdFor(COPY, 'vox')
    // 40 s of the demo voice from 0:30, uploaded as another campaign's stem.
    await putAnalysisCopy(copy, vox.slice(30 * rate, 70 * rate))
    await runFingerprintJob(env, copy)
    const [match, ...more] = await matchesOf(copy)
    expect(more).toEqual([])
    expect(match).toMatchObject({
      matched_stem_id: stemIdFor(manifest.slug, 'vox'),
      matched_campaign_id: `cmp-${manifest.slug}`,
      status: 'open',
    })
    expect(match!.stem_start as number).toBeLessThan(3)
    expect(match!.stem_end as number).toBeGreaterThan(37)
    expect(match!.matched_start as number).toBeGreaterThan(29)
    expect(match!.matched_start as number).toBeLessThan(33)
    expect(match!.matched_end as number).toBeGreaterThan(67)
    expect(match!.matched_end as number).toBeLessThan(71)
    expect(match!.strength as number).toBeGreaterThan(0.3)
    // A retry of the job changes nothing.
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM fingerprint_hashes').first()
    await runFingerprintJob(env, copy)
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM fingerprint_hashes').first()).toEqual(
      before,
    )
    expect(await matchesOf(copy)).toHaveLength(1)
  })

  it('does not flag an unrelated upload', SLOW, async () => {
    const other = stemIdFor(COPY, 'pads')
    const pcm = new Float32Array(30 * rate)
    const noise = seededRandom(7)
    for (let i = 0; i < pcm.length; i++) {
      const t = i / rate
      pcm[i] = 0.3 * Math.sin(2 * Math.PI * (300 + 200 * Math.sin(t)) * t) + 0.05 * (noise() - 0.5)
    }
    await putAnalysisCopy(other, pcm)
    await runFingerprintJob(env, other)
    expect(await matchesOf(other)).toEqual([])
    const row = await env.DB.prepare('SELECT indexed_at FROM fingerprint_stems WHERE stem_id = ?1')
      .bind(other)
      .first<{ indexed_at: string | null }>()
    expect(row?.indexed_at).toBeTruthy()
  })
})
