import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import bassMp3 from '../../stems/audio/bass.mp3?inline'
import drumsMp3 from '../../stems/audio/drums.mp3?inline'
import leadMp3 from '../../stems/audio/lead.mp3?inline'
import padsMp3 from '../../stems/audio/pads.mp3?inline'
import voxMp3 from '../../stems/audio/vox.mp3?inline'
import type { AuthorCampaign } from '../../core/api/authoring.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { encodeWav } from '../../core/audio/wav.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import type { Verification } from '../../core/campaign/verification.ts'
import type { ExportManifest } from '../../core/provenance/manifest.ts'
import type { Markability } from '../../core/watermark/markability.ts'
import { lowEnergyStems } from '../../core/watermark/testing/low-energy.ts'
import { decodeAudio } from '../../worker/audio/decode.ts'
import { measureCampaignMarkability } from '../../worker/ingest/markability.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { inDays, ok, path, PNG, preset, raw, refused, send } from './author-fixture.ts'
import { ARTIST, FAN, manifest, seedInput } from './fixture.ts'
import { call, json, login, requestExport } from './http.ts'
import { uploadMaster } from './upload-fixture.ts'

// Ingest marks, encodes and reads back every stem and the mix, on a shared machine: generous waits.
vi.setConfig({ testTimeout: 400_000 })

const RATE = 44100
const SECONDS = 20

let artist: string
let fan: string

beforeAll(async () => {
  await seedCampaign(env, await seedInput())
  artist = await login(ARTIST.email, ARTIST.password)
  fan = await login(FAN.email, FAN.password)
})

const uploadStem = (campaignId: string, bytes: Uint8Array, fileName: string) =>
  uploadMaster(campaignId, bytes, fileName, artist)

const campaignOf = async (id: string) =>
  (await ok<{ campaign: AuthorCampaign }>(send('GET', path({ id }), undefined, artist))).campaign

/** The licence the artist picks, with lengths short enough for the test's stems. */
function licence(unwatermarked?: 'fingerprint-only' | 'refuse') {
  const policy = preset('open-remix')
  for (const p of policy.permissions)
    p.constraints = p.constraints.filter((c) => c.leftOperand !== 'outputDuration')
  return unwatermarked ? { ...policy, unwatermarked } : policy
}

async function exportOf(remix: RemixView) {
  const res = await requestExport(remix.id, remix.version, fan)
  return { res, body: (await res.json()) as { export?: ExportView; error?: { message: string } } }
}

async function waitFinished(id: string): Promise<ExportView> {
  let view: ExportView | undefined
  await vi.waitFor(
    async () => {
      const res = await call(`/api/exports/${id}`, { headers: { Cookie: fan } })
      view = ((await res.json()) as { export: ExportView }).export
      expect(['ready', 'rejected']).toContain(view.status)
    },
    { timeout: 240_000, interval: 250 },
  )
  return view!
}

describe('markability at ingest', () => {
  it('flags a campaign of low-energy stems, holds publishing for the choice, and exports as chosen', async () => {
    const draft = (
      await ok<{ campaign: AuthorCampaign }>(
        send(
          'POST',
          '/api/artist/campaigns',
          { slug: 'low-hum', title: 'Low hum', description: 'Sine, chord, clicks.' },
          artist,
        ),
        201,
      )
    ).campaign
    const stems = lowEnergyStems(SECONDS, RATE)
    for (const [name, pcm] of Object.entries(stems))
      await uploadStem(draft.id, encodeWav([pcm], RATE, { encoding: 'pcm16' }), `${name}.wav`)
    await vi.waitFor(async () => expect((await campaignOf(draft.id)).markability).not.toBeNull(), {
      timeout: 300_000,
      interval: 500,
    })
    const measured = await campaignOf(draft.id)
    expect(measured.markability!.level).toBe('unmarkable')
    expect(measured.markability!.coded.found).toBe(false)
    // No stem carries the mark reliably: each reads back not at all, or only without noise.
    for (const stem of measured.stems)
      expect(['unmarkable', 'weak'], stem.name).toContain(stem.markability?.level)

    // Everything else publishing needs, with a licence that does not say what exports do.
    await ok(raw('PUT', path(draft, '/artwork'), PNG, 'image/png', artist))
    await ok(send('PUT', path(draft, '/licence'), { policy: licence() }, artist))
    const shares = [{ party: 'The Artist', bps: 10_000 }]
    const splits = {
      fanCreatorBps: 500,
      stems: measured.stems.map((s) => ({ stem: s.id, shares })),
    }
    const credits = [{ name: 'The Artist', roles: ['artist'] }]
    await ok(send('PUT', path(draft, '/splits'), { splits, credits }, artist))
    await ok(send('PATCH', path(draft), { opensAt: inDays(-1), closesAt: inDays(30) }, artist))
    const error = await refused(
      send('POST', path(draft, '/publish'), undefined, artist),
      422,
      'incomplete',
    )
    expect(error.missing).toEqual([
      'A choice of what exports do without a watermark: the stems cannot carry it.',
    ])

    // The artist allows unwatermarked exports: publishing goes through.
    await ok(send('PUT', path(draft, '/licence'), { policy: licence('fingerprint-only') }, artist))
    const published = await ok<{ campaign: AuthorCampaign }>(
      send('POST', path(draft, '/publish'), undefined, artist),
    )
    expect(published.campaign.status).toBe('live')

    // A fan's default mix exports, ready, saying it is not watermarked.
    const recipe = {
      version: 2,
      campaign: draft.slug,
      tempo: 120,
      timeSignature: [4, 4],
      length: SECONDS,
      tracks: measured.stems.map((s, i) => ({
        id: `t${i}`,
        stem: s.id,
        regions: [{ id: `r${i}`, start: 0, offset: 0, duration: SECONDS }],
      })),
      aiActions: [],
    }
    const remix = (
      await ok<{ remix: RemixView }>(
        call('/api/remixes', {
          method: 'POST',
          ...json({ campaign: draft.slug, title: 'Hum drive', recipe }, fan),
        }),
        201,
      )
    ).remix
    const asked = await exportOf(remix)
    expect(asked.res.status, JSON.stringify(asked.body)).toBe(202)
    const view = await waitFinished(asked.body.export!.id)
    expect(view, JSON.stringify(view)).toMatchObject({ status: 'ready', reason: null })
    const row = (await env.DB.prepare(
      'SELECT manifest, watermark, mp3_key FROM exports WHERE id = ?1',
    )
      .bind(view.id)
      .first<{ manifest: string; watermark: string; mp3_key: string }>())!
    const stored = JSON.parse(row.manifest) as ExportManifest
    expect(stored.watermark).toEqual({
      embedded: false,
      note: "not watermarked (the campaign's stems cannot carry it)",
    })
    expect(JSON.parse(row.watermark)).toMatchObject({ checked: false })
    const share = await ok<{ share: { watermarkNote: string | null } }>(
      call(`/api/share/${view.id}`),
    )
    expect(share.share.watermarkNote).toMatch(/^not watermarked/)

    // Verify recognises the unchanged MP3 by its hash, and says it carries no watermark.
    const mp3 = new Uint8Array(await (await env.MEDIA.get(row.mp3_key))!.arrayBuffer())
    const verified = await ok<Verification>(
      call('/api/verify', {
        method: 'POST',
        headers: { 'Content-Type': 'audio/mpeg', 'CF-Connecting-IP': '203.0.113.77' },
        body: mp3,
      }),
    )
    expect(verified).toMatchObject({
      found: true,
      by: 'file-hash',
      export: { id: view.id },
      watermarkNote: stored.watermark!.note,
    })

    // The artist changes the licence to refuse exports: the next export is refused up front.
    await ok(send('PUT', path(draft, '/licence'), { policy: licence('refuse') }, artist))
    const again = await exportOf(remix)
    expect(again.res.status).toBe(422)
    expect(again.body.error!.message).toMatch(/does not offer downloads/)
    expect(again.body.error!.message).not.toMatch(/export again|try again/i)
  })

  it('finds the demo campaign markable', async () => {
    const input = await seedInput()
    const audio = { bass: bassMp3, drums: drumsMp3, lead: leadMp3, pads: padsMp3, vox: voxMp3 }
    for (const stem of input.stems) {
      const bytes = new Uint8Array(
        await (await fetch(audio[stem.manifest.id as keyof typeof audio])).arrayBuffer(),
      )
      const decoded = await decodeAudio(bytes, 200)
      Object.assign(stem, {
        bytes,
        sha256: await sha256Hex(bytes),
        lengthSamples: decoded.channels[0]!.length,
        sampleRate: decoded.sampleRate,
      })
    }
    const slug = 'markable-moons'
    await seedCampaign(env, { ...input, manifest: { ...manifest, slug } })
    const { id } = (await env.DB.prepare('SELECT id FROM campaigns WHERE slug = ?1')
      .bind(slug)
      .first<{ id: string }>())!
    await measureCampaignMarkability(env, id)
    const row = (await env.DB.prepare('SELECT markability FROM campaigns WHERE id = ?1')
      .bind(id)
      .first<{ markability: string }>())!
    const measured = JSON.parse(row.markability) as Markability
    expect(measured.level, row.markability).toBe('markable')
    expect(measured.coded.bitErrors).not.toBeNull()
  })
})
