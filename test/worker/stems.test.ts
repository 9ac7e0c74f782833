import { exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import { PeaksSchema } from '../../core/audio/peaks.ts'
import { manifest, seed, stemBytes } from './fixture.ts'

const get = (path: string, init?: RequestInit) => exports.default.fetch(`http://x${path}`, init)
let stems: CampaignDetail['stems']

beforeAll(async () => {
  await seed()
  const res = await get(`/api/campaigns/${manifest.slug}`)
  stems = ((await res.json()) as { campaign: CampaignDetail }).campaign.stems
})

describe('GET /api/stems/:id/audio', () => {
  it('streams the whole stem with type, length, ETag and cache headers', async () => {
    const res = await get(stems[1]!.audioUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('audio/mpeg')
    expect(res.headers.get('Content-Length')).toBe('10000')
    expect(res.headers.get('Accept-Ranges')).toBe('bytes')
    expect(res.headers.get('Cache-Control')).toMatch(/max-age=\d+/)
    expect(res.headers.get('ETag')).toMatch(/^".+"$/)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(stemBytes(1))
  })

  it('honours a byte range with 206 and Content-Range', async () => {
    const res = await get(stems[2]!.audioUrl, { headers: { Range: 'bytes=100-199' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('Content-Range')).toBe('bytes 100-199/10000')
    expect(res.headers.get('Content-Length')).toBe('100')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(stemBytes(2).slice(100, 200))
  })

  it('serves a suffix range', async () => {
    const res = await get(stems[0]!.audioUrl, { headers: { Range: 'bytes=-16' } })
    expect(res.status).toBe(206)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(stemBytes(0).slice(-16))
  })

  it('answers a malformed or unsatisfiable range with a JSON 416', async () => {
    for (const range of ['bytes=abc', 'bytes=20000-', 'pages=1-2']) {
      const res = await get(stems[0]!.audioUrl, { headers: { Range: range } })
      expect(res.status, range).toBe(416)
      expect(res.headers.get('Content-Range')).toBe('bytes */10000')
      expect(await res.json()).toMatchObject({ error: { code: 'range_not_satisfiable' } })
    }
  })

  it('honours If-Range: the range while the ETag matches, else the whole stem', async () => {
    const { audioUrl } = stems[3]!
    const whole = await get(audioUrl)
    await whole.arrayBuffer()
    const etag = whole.headers.get('ETag')!
    const same = await get(audioUrl, { headers: { Range: 'bytes=9000-', 'If-Range': etag } })
    expect(same.status).toBe(206)
    expect(same.headers.get('Content-Range')).toBe('bytes 9000-9999/10000')
    expect(new Uint8Array(await same.arrayBuffer())).toEqual(stemBytes(3).slice(9000))
    // another file's tag, a weak tag or a date: the stem changed, so all of it
    for (const other of ['"not-this-one"', `W/${etag}`, 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      const res = await get(audioUrl, { headers: { Range: 'bytes=9000-', 'If-Range': other } })
      expect(res.status, other).toBe(200)
      expect(res.headers.get('Content-Range'), other).toBeNull()
      expect(res.headers.get('Content-Length'), other).toBe('10000')
      expect(new Uint8Array(await res.arrayBuffer()), other).toEqual(stemBytes(3))
    }
    // a range past the end of a changed file is no 416: the whole file
    const changed = await get(audioUrl, { headers: { Range: 'bytes=20000-', 'If-Range': '"x"' } })
    expect(changed.status).toBe(200)
    await changed.arrayBuffer()
  })

  it('revalidates with If-None-Match', async () => {
    const first = await get(stems[0]!.audioUrl)
    await first.arrayBuffer()
    const res = await get(stems[0]!.audioUrl, {
      headers: { 'If-None-Match': first.headers.get('ETag')! },
    })
    expect(res.status).toBe(304)
  })

  it('answers an unknown stem with a JSON 404', async () => {
    for (const path of ['/api/stems/nope/audio', '/api/stems/nope/peaks']) {
      const res = await get(path)
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
    }
  })
})

describe('GET /api/stems/:id/peaks', () => {
  it('serves the precomputed peaks as JSON', async () => {
    const res = await get(stems[3]!.peaksUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/json')
    const peaks = PeaksSchema.parse(await res.json())
    expect(peaks.channels).toHaveLength(2)
    expect(Math.max(...peaks.channels[0]!)).toBeCloseTo(0.5, 2)
  })
})
