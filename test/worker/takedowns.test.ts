import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import voxMp3 from '../../stems/audio/vox.mp3?inline'
import type { Verification } from '../../core/campaign/verification.ts'
import { encodeWav } from '../../core/audio/wav.ts'
import { monoOf } from '../../core/fingerprint/fingerprint.ts'
import { decodeAudio } from '../../worker/audio/decode.ts'
import { printOf } from '../../worker/fingerprint/index-stem.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { ARTIST, FAN, seedInput } from './fixture.ts'
import { call, login } from './http.ts'

const SLOW = { timeout: 300_000 }
const RATE = 44100
let vox: Float32Array
let artist: string
let fan: string

const bytesOf = async (dataUrl: string) =>
  new Uint8Array(await (await fetch(dataUrl)).arrayBuffer())

beforeAll(async () => {
  const decoded = await decodeAudio(await bytesOf(voxMp3), 120)
  vox = monoOf(decoded.channels)
  const input = await seedInput()
  input.stems = input.stems.map((s) =>
    s.manifest.id === 'vox' ? { ...s, print: printOf(vox, decoded.sampleRate) } : s,
  )
  await seedCampaign(env, input)
  artist = await login(ARTIST.email, ARTIST.password)
  fan = await login(FAN.email, FAN.password)
}, SLOW.timeout)

/** 20 s of the demo voice from 0:40 over a synthetic organ part of equal level, as WAV. */
function unlicensedClip(): Uint8Array {
  const n = 20 * RATE
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const t = i / RATE
    const f = [196, 233, 262, 294][Math.floor(t / 2) % 4]!
    out[i] =
      0.5 * vox[40 * RATE + i]! +
      0.08 * (Math.sin(2 * Math.PI * f * t) + Math.sin(3 * Math.PI * f * t))
  }
  return encodeWav([out], RATE)
}

/** Varied tones unrelated to any stem. */
function unrelatedClip(): Uint8Array {
  const n = 12 * RATE
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const t = i / RATE
    out[i] = 0.3 * Math.sin(2 * Math.PI * (440 + 110 * Math.floor(t * 3)) * t)
  }
  return encodeWav([out], RATE)
}

let ip = 0
const post = (path: string, body: Uint8Array, cookie?: string) =>
  call(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'audio/wav',
      'CF-Connecting-IP': `203.0.113.${++ip}`,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body,
  })

describe('verify finds unlicensed use; takedown notices', () => {
  it(
    'names the stem, where it lies in the file and the stem, and its rights holders',
    SLOW,
    async () => {
      const res = await post('/api/verify', unlicensedClip())
      expect(res.status).toBe(200)
      const answer = (await res.json()) as Verification
      expect(answer.found).toBe(false)
      if (!('unlicensed' in answer)) throw new Error('expected unlicensed use')
      expect(answer.unlicensed.fileSha256).toMatch(/^[0-9a-f]{64}$/)
      const [use, ...rest] = answer.unlicensed.uses
      expect(rest).toEqual([])
      expect(use!.stem.name).toBe('Voice')
      expect(use!.campaign.title).toBe('Copper Moons')
      expect(use!.rightsHolders).toContain('Mira Vale')
      expect(use!.contact).toBe(ARTIST.email)
      expect(use!.file.start).toBeLessThan(3)
      expect(use!.file.end).toBeGreaterThan(17)
      expect(use!.inStem.start).toBeGreaterThan(39)
      expect(use!.inStem.start).toBeLessThan(43)
      expect(use!.strength).toBeGreaterThan(0)
    },
  )

  it('answers no match for an unrelated file, and refuses a notice for it', SLOW, async () => {
    const res = await post('/api/verify', unrelatedClip())
    expect(await res.json()).toEqual({ found: false, message: 'No Stemfair watermark found' })
    const notice = await post('/api/takedowns', unrelatedClip(), artist)
    expect(notice.status).toBe(422)
    expect(((await notice.json()) as { error: { code: string } }).error.code).toBe('unprocessable')
  })

  it('lets the rights holder issue, list and download a notice; not a fan', SLOW, async () => {
    expect((await post('/api/takedowns', unlicensedClip(), fan)).status).toBe(403)
    expect((await post('/api/takedowns', unlicensedClip())).status).toBe(401)
    const res = await post('/api/takedowns', unlicensedClip(), artist)
    expect(res.status).toBe(201)
    const { notice } = (await res.json()) as {
      notice: { id: string; textUrl: string; htmlUrl: string; evidence: { fileSha256: string } }
    }
    const text = await (await call(notice.textUrl, { headers: { Cookie: artist } })).text()
    expect(text).toContain(notice.evidence.fileSha256)
    expect(text).toContain('“Voice” (ISRC QZSF12600005)')
    expect(text).toContain('Mira Vale')
    const html = await call(notice.htmlUrl, { headers: { Cookie: artist } })
    expect(html.headers.get('Content-Type')).toMatch(/text\/html/)
    expect(html.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(html.headers.get('Cache-Control')).toBe('private, no-store')
    expect(await html.text()).toContain('Takedown notice')
    expect((await call(notice.textUrl, { headers: { Cookie: fan } })).status).toBe(403)
    const list = await call('/api/takedowns', { headers: { Cookie: artist } })
    const { notices } = (await list.json()) as { notices: { id: string }[] }
    expect(notices.map((n) => n.id)).toEqual([notice.id])
    const row = await env.DB.prepare('SELECT file_sha256 FROM takedown_notices').first()
    expect(row).toEqual({ file_sha256: notice.evidence.fileSha256 })
  })
})
