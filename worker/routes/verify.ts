import { Hono } from 'hono'
import { z } from 'zod'
import {
  MAX_VERIFY_BYTES,
  NOT_FOUND_MESSAGE,
  type Verification,
} from '../../core/campaign/verification.ts'
import { DomainError } from '../../core/errors.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import type { Seconds } from '../../core/units.ts'
import { detectWatermark, MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { MIN_RATE } from '../../core/watermark/embed.ts'
import type { AppEnv, Bindings } from '../env.ts'
import { decodeAudio } from '../audio/decode.ts'
import { findCampaignRow } from '../db/campaigns.ts'
import { findExportRow } from '../db/exports.ts'
import { findRemixRow } from '../db/remixes.ts'
import { listStems } from '../db/stems.ts'
import { rateLimit } from '../http/rate-limit.ts'
import { readBody } from '../http/read-body.ts'
import { licenceMadeUnder, UNRECORDED } from '../licence/made-under.ts'
import type { ExportManifest } from '../jobs/export-job.ts'
import { valid } from '../validate.ts'

/** How much audio from the start of a file is searched; the mark repeats all through it. */
export const ANALYSED_SECONDS: Seconds = 60

/** Verifications each address may ask for in a window. */
export const VERIFY_LIMIT = { limit: 20, windowSeconds: 60 }

const HeaderSchema = z.object({
  'content-type': z
    .string({ error: 'send the file with a Content-Type' })
    .regex(
      /^(audio\/[\w.+-]+|application\/octet-stream|multipart\/form-data)\b/i,
      'send the audio file as the body (Content-Type audio/* or application/octet-stream), ' +
        'or as multipart/form-data with a "file" field',
    ),
})

function tooLarge(): never {
  throw new DomainError(
    'payload_too_large',
    `A file to verify can be at most ${MAX_VERIFY_BYTES / 1024 / 1024} MiB.`,
  )
}

/** The audio bytes of the request: the raw body, or the `file` field of a form. */
async function audioBytesOf(req: Request, contentType: string): Promise<Uint8Array> {
  const body = await readBody(req, MAX_VERIFY_BYTES, tooLarge)
  if (!/^multipart\/form-data/i.test(contentType)) return body
  let file: File | string | null = null
  try {
    file = (await new Response(body, { headers: { 'Content-Type': contentType } }).formData()).get(
      'file',
    )
  } catch {
    throw new DomainError('bad_request', 'The form data is malformed.')
  }
  if (!file || typeof file === 'string')
    throw new DomainError('bad_request', 'Put the audio file in a form field named "file".')
  return new Uint8Array(await file.arrayBuffer())
}

/** What we know of the export whose id a watermark carries; "not found" for an unknown id. */
async function verificationOf(
  env: Bindings,
  exportId: string,
  confidence: number,
  origin: string,
): Promise<Verification> {
  const row = await findExportRow(env.DB, exportId)
  if (!row?.manifest) return { found: false, message: NOT_FOUND_MESSAGE }
  const [remix, campaign, stems] = await Promise.all([
    findRemixRow(env.DB, row.remix_id),
    findCampaignRow(env.DB, row.campaign_slug),
    listStems(env.DB, row.campaign_id),
  ])
  if (!remix || !campaign) return { found: false, message: NOT_FOUND_MESSAGE }
  const manifest = JSON.parse(row.manifest) as ExportManifest
  const policy = LicencePolicySchema.parse(JSON.parse(campaign.licence))
  const names = Object.fromEntries(stems.map((s) => [s.id, s.name]))
  const madeUnder = await licenceMadeUnder(env.DB, row.campaign_id, row.licence_version, policy)
  return {
    found: true,
    confidence,
    export: {
      id: row.id,
      createdAt: row.created_at,
      formats: [...(row.wav_key ? ['wav' as const] : []), ...(row.mp3_key ? ['mp3' as const] : [])],
    },
    remix: { id: remix.id, title: manifest.remix.title, status: remix.status },
    campaign: { slug: campaign.slug, title: campaign.title, artist: campaign.artist },
    fan: { name: manifest.remix.fan },
    licence: {
      uid: manifest.licence.uid,
      version: row.licence_version,
      url: manifest.licence.url,
      summary: madeUnder ? describeLicence(madeUnder, names) : UNRECORDED(row.licence_version),
    },
    credits: manifest.credits,
    status: remix.status === 'taken_down' ? 'taken_down' : row.status,
    shareUrl: new URL(`/r/${row.id}`, origin).href,
  }
}

/** `POST /api/verify`: which Stemfair export, if any, an audio file comes from. */
export const verify = new Hono<AppEnv>().post(
  '/',
  rateLimit({ name: 'verify', ...VERIFY_LIMIT, binding: 'VERIFY_LIMITER' }),
  valid('header', HeaderSchema),
  async (c) => {
    const bytes = await audioBytesOf(c.req.raw, c.req.valid('header')['content-type'])
    const audio = await decodeAudio(bytes, ANALYSED_SECONDS)
    if (audio.sampleRate < MIN_RATE)
      throw new DomainError(
        'invalid_audio',
        `The audio is sampled at ${audio.sampleRate} Hz; verification needs ${MIN_RATE} Hz or more.`,
      )
    const seconds = audio.channels[0]!.length / audio.sampleRate
    if (seconds < MIN_DETECT_SECONDS)
      throw new DomainError(
        'invalid_audio',
        `The audio lasts ${seconds.toFixed(1)} s; verification needs at least ${MIN_DETECT_SECONDS} s.`,
      )
    const detection = detectWatermark(audio.channels, audio.sampleRate, c.env.WATERMARK_KEY)
    if (!detection.found) return c.json({ found: false, message: NOT_FOUND_MESSAGE })
    return c.json(await verificationOf(c.env, detection.payload, detection.confidence, c.req.url))
  },
)
