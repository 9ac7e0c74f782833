import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { readWavInfo } from '../../core/audio/wav.ts'
import { windowViolation } from '../../core/campaign/authoring.ts'
import type { ExportView, StemView, UserView } from '../../core/campaign/views.ts'
import type { Contributor } from '../../core/credits/splits.ts'
import { DomainError } from '../../core/errors.ts'
import {
  evaluateLicence,
  type LicenceDecision,
  type Violation,
} from '../../core/licence/evaluate.ts'
import { LicencePolicySchema, type LicencePolicy } from '../../core/licence/policy.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import { manifestUrlOf } from '../../core/provenance/manifest.ts'
import { RecipeSchema, type Recipe } from '../../core/recipe/schema.ts'
import type { AppEnv, Bindings } from '../env.ts'
import { errorBody } from '../errors.ts'
import { requireRole } from '../auth/session.ts'
import { findCampaignRow, windowOf, type CampaignRow } from '../db/campaigns.ts'
import {
  countExportsSince,
  deleteUnstartedExport,
  exportFrom,
  findExportRow,
  insertExport,
  listExportsOf,
  type ExportRow,
} from '../db/exports.ts'
import { addressTag } from '../events/address.ts'
import { eventNow } from '../events/event.ts'
import { ensureListener } from '../events/listener.ts'
import { findRemixRow, type RemixRow } from '../db/remixes.ts'
import { listStems } from '../db/stems.ts'
import { submitExported } from './moderation.ts'
import { readBody } from '../http/read-body.ts'
import { serveObject } from '../http/serve-object.ts'
import {
  AI_DISCLOSURE,
  canonicalJson,
  digitalSourceTypeOf,
  manifestFrom,
  quarantineKey,
  sha256Hex,
  type ExportFormat,
  type ExportManifest,
  type ManifestClaim,
} from '../jobs/export-job.ts'

/** Largest upload accepted: a bit over 10 minutes of 16-bit stereo at 48 kHz. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024

/** How far the upload's length may stray from the recipe's. */
const LENGTH_TOLERANCE = 0.05

/** How long a signed download link works. */
const DOWNLOAD_TTL_SECONDS = 10 * 60

const DAY_MS = 24 * 60 * 60 * 1000

const CreateQuery = z.object({
  remix: z.string().min(1).max(100),
  version: z.coerce.number().int().min(1),
})

function signedIn(c: Context<AppEnv>): UserView {
  const user = c.get('user')
  if (!user) throw new DomainError('unauthorized', 'Log in first.')
  return user
}

function tooLarge(): never {
  throw new DomainError(
    'payload_too_large',
    `An export upload can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB.`,
  )
}

/** A 64-bit random id as 16 hex digits: the export id and the watermark payload. */
function newExportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function licenceViolation(c: Context<AppEnv>, violations: Violation[]) {
  const message = violations.map((v) => v.message).join(' ')
  return c.json({ error: { code: 'licence_violation', message, violations } }, 422)
}

function conflict(c: Context<AppEnv>, current: number) {
  const message = `This remix has been saved since (version ${current}). Save, then export again.`
  return c.json({ error: { code: 'conflict', message, current } }, 409)
}

/** Checks the upload is a WAV that matches the campaign's rate and the recipe's length. */
function checkUpload(bytes: Uint8Array, sampleRate: number, length: number): void {
  const info = readWavInfo(bytes)
  if (info.channels > 2)
    throw new DomainError(
      'invalid_audio',
      `The WAV must be stereo or mono; this one has ${info.channels} channels.`,
    )
  if (info.sampleRate !== sampleRate)
    throw new DomainError(
      'invalid_audio',
      `The WAV is at ${info.sampleRate} Hz but this campaign works at ${sampleRate} Hz; render it at ${sampleRate} Hz.`,
    )
  const seconds = info.frames / info.sampleRate
  if (Math.abs(seconds - length) > LENGTH_TOLERANCE)
    throw new DomainError(
      'invalid_audio',
      `The WAV lasts ${seconds.toFixed(2)} s but the remix is ${length.toFixed(2)} s long; render the saved remix again.`,
    )
}

let derived: { secret: string; key: Promise<CryptoKey> } | null = null

/** The download-signing key: HMAC(SESSION_SECRET, 'downloads'), derived once per isolate. */
function downloadKey(secret: string): Promise<CryptoKey> {
  if (derived?.secret !== secret) {
    const hmac = { name: 'HMAC', hash: 'SHA-256' }
    const text = new TextEncoder()
    const key = crypto.subtle
      .importKey('raw', text.encode(secret), hmac, false, ['sign'])
      .then((root) => crypto.subtle.sign('HMAC', root, text.encode('downloads')))
      .then((raw) => crypto.subtle.importKey('raw', raw, hmac, false, ['sign', 'verify']))
    derived = { secret, key }
  }
  return derived.key
}

const signedText = (id: string, format: string, exp: number) =>
  new TextEncoder().encode(`${id}:${format}:${exp}`)

/** Signed, expiring download links for a ready export. */
async function signDownloads(env: Bindings, id: string): Promise<ExportView['downloads']> {
  const exp = Math.floor(Date.now() / 1000) + DOWNLOAD_TTL_SECONDS
  const key = await downloadKey(env.SESSION_SECRET)
  const url = async (format: ExportFormat) => {
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, signedText(id, format, exp)))
    const hex = [...sig].map((b) => b.toString(16).padStart(2, '0')).join('')
    return `/api/downloads/${id}/${format}?exp=${exp}&sig=${hex}`
  }
  return {
    wav: await url('wav'),
    mp3: await url('mp3'),
    expiresAt: new Date(exp * 1000).toISOString(),
  }
}

/** Whether a link's signature is ours (compared in constant time by WebCrypto) and unexpired. */
async function verifyDownload(env: Bindings, id: string, format: string, exp: string, sig: string) {
  if (!/^\d{1,12}$/.test(exp) || !/^[0-9a-f]{64}$/.test(sig)) return false
  if (Number(exp) < Date.now() / 1000) return false
  const bytes = Uint8Array.from(sig.match(/../g)!.map((h) => parseInt(h, 16)))
  const key = await downloadKey(env.SESSION_SECRET)
  return crypto.subtle.verify('HMAC', key, bytes, signedText(id, format, Number(exp)))
}

/** What the export will claim about itself, fixed now, when the licence was checked. */
async function claimOf(p: {
  id: string
  now: Date
  remix: RemixRow
  campaign: CampaignRow
  policy: LicencePolicy
  recipe: Recipe
  stems: StemView[]
  decision: LicenceDecision
  env: Bindings
}): Promise<ManifestClaim> {
  const used = new Set(p.recipe.tracks.map((t) => t.stem))
  const attribution = p.decision.duties.find((d) => d.action === 'attribute')
  return {
    format: 'stemfair.export-manifest/1',
    exportId: p.id,
    createdAt: p.now.toISOString(),
    manifestUrl: manifestUrlOf(p.env.PUBLIC_ORIGIN, p.id),
    remix: {
      id: p.remix.id,
      version: p.remix.version,
      title: p.remix.title,
      fan: p.remix.owner_name,
      recipeSha256: await sha256Hex(canonicalJson(p.recipe)),
    },
    campaign: {
      slug: p.campaign.slug,
      title: p.campaign.title,
      artist: p.campaign.artist,
      iswc: p.campaign.iswc,
    },
    licence: {
      uid: p.policy.uid,
      version: p.policy.version,
      url: `${p.env.PUBLIC_ORIGIN}/c/${p.campaign.slug}#licence`,
      attribution: attribution?.action === 'attribute' ? attribution.text : null,
    },
    sources: p.stems
      .filter((s) => used.has(s.id))
      .map((s) => ({ stem: s.id, name: s.name, isrc: s.isrc })),
    credits: JSON.parse(p.campaign.credits) as Contributor[],
    aiActions: p.recipe.aiActions,
    aiDisclosure: AI_DISCLOSURE,
    digitalSourceType: digitalSourceTypeOf(p.recipe.aiActions),
    trainingMining: 'notAllowed',
  }
}

async function viewOf(env: Bindings, row: ExportRow): Promise<ExportView> {
  return exportFrom(row, row.status === 'ready' ? await signDownloads(env, row.id) : null)
}

/** A fan's exports: upload a render of a saved remix, follow it through the pipeline, download it. */
export const exportsRoute = new Hono<AppEnv>()
  .use(requireRole())
  .post('/', async (c) => {
    const user = signedIn(c)
    const query = CreateQuery.parse(c.req.query())
    const remix = await findRemixRow(c.env.DB, query.remix)
    if (!remix) throw new DomainError('not_found', 'No such remix.')
    if (remix.owner_id !== user.id)
      throw new DomainError('forbidden', 'Only the fan who made this remix can export it.')
    if (remix.status === 'taken_down')
      throw new DomainError('forbidden', 'This remix was taken down and cannot be exported.')
    if (remix.version !== query.version) return conflict(c, remix.version)
    const body = await readBody(c.req.raw, MAX_UPLOAD_BYTES, tooLarge)

    const campaign = await findCampaignRow(c.env.DB, remix.campaign_slug)
    if (!campaign) throw new DomainError('not_found', 'No such campaign.')
    const policy = LicencePolicySchema.parse(JSON.parse(campaign.licence))
    const recipe = RecipeSchema.parse(JSON.parse(remix.recipe))
    const stems = await listStems(c.env.DB, campaign.id)
    const now = new Date()
    const closed = windowViolation(windowOf(campaign), now.toISOString())
    if (closed) return licenceViolation(c, [closed])
    const decision = evaluateLicence(policy, {
      action: 'export',
      at: now.toISOString(),
      country: (c.req.raw.cf?.country as string | undefined) ?? null,
      purpose: 'non-commercial',
      recipe,
      stems: licenceStemsFrom(campaign.slug, stems),
      exportsToday: await countExportsSince(
        c.env.DB,
        user.id,
        campaign.id,
        new Date(now.getTime() - DAY_MS).toISOString(),
      ),
      approved: remix.status === 'published',
      names: Object.fromEntries(stems.map((s) => [s.id, s.name])),
    })
    if (!decision.allowed) return licenceViolation(c, decision.violations)
    checkUpload(body, campaign.sample_rate, recipe.length)

    const id = newExportId()
    const manifest = await manifestFrom(
      await claimOf({ id, now, remix, campaign, policy, recipe, stems, decision, env: c.env }),
    )
    const uploadKey = quarantineKey(id)
    await c.env.MEDIA.put(uploadKey, body, { httpMetadata: { contentType: 'audio/wav' } })
    let row: ExportRow
    try {
      row = await insertExport(c.env.DB, {
        id,
        remixId: remix.id,
        remixVersion: remix.version,
        campaignId: campaign.id,
        ownerId: user.id,
        licenceVersion: policy.version,
        recipeHash: manifest.remix.recipeSha256,
        uploadKey,
        uploadSha256: await sha256Hex(body),
        manifest: JSON.stringify(manifest),
        createdAt: now.toISOString(),
      })
      await submitExported(c.env.DB, { remix, fan: user, exportId: id, policy })
      await c.env.JOBS.send({ type: 'export', exportId: id })
    } catch (err) {
      await deleteUnstartedExport(c.env.DB, id)
      await c.env.MEDIA.delete(uploadKey)
      throw err
    }
    return c.json({ export: await viewOf(c.env, row) }, 202)
  })
  .get('/', async (c) => {
    const rows = await listExportsOf(c.env.DB, signedIn(c).id)
    return c.json({ exports: await Promise.all(rows.map((row) => viewOf(c.env, row))) })
  })
  .get('/:id', async (c) => {
    const user = signedIn(c)
    const row = await findExportRow(c.env.DB, c.req.param('id'))
    if (!row) throw new DomainError('not_found', 'No such export.')
    if (row.owner_id !== user.id)
      throw new DomainError('forbidden', 'Only the fan who made this export can see it.')
    return c.json({ export: await viewOf(c.env, row) })
  })

function attachmentName(title: string, format: ExportFormat): string {
  const name = `${title} (Stemfair remix).${format}`
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, "'")
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** Signed download links; a completed download is a `download` event (worker/events/). */
export const downloads = new Hono<AppEnv>().get('/:id/:format', async (c) => {
  const { id, format } = c.req.param()
  const { exp = '', sig = '' } = c.req.query()
  if (format !== 'wav' && format !== 'mp3')
    throw new DomainError('not_found', 'Exports download as wav or mp3.')
  if (!(await verifyDownload(c.env, id, format, exp, sig)))
    throw new DomainError('forbidden', 'This download link is invalid or has expired.')
  const row = await findExportRow(c.env.DB, id)
  const key = format === 'wav' ? row?.wav_key : row?.mp3_key
  if (!row || row.status !== 'ready' || !key || !row.manifest)
    throw new DomainError('not_found', 'No such export.')
  if ((await findRemixRow(c.env.DB, row.remix_id))?.status === 'taken_down')
    return c.json(errorBody('gone', 'This remix was taken down.'), 410)
  const manifest = JSON.parse(row.manifest) as ExportManifest
  const listener = await ensureListener(c)
  const address = await addressTag(c)
  const ledger = c.env.LISTENERS.get(c.env.LISTENERS.idFromName(listener))
  // A download counts once per listener, export and day, when every byte of the file was served.
  const res = await serveObject(c, key, {
    onServed: async (offset, length, size) => {
      const now = new Date()
      const day = now.toISOString().slice(0, 10)
      const done = await ledger.downloaded(id, format, offset, offset + length, size, day)
      if (!done) return
      await c.env.EVENTS.send(
        eventNow(
          {
            type: 'download',
            exportId: id,
            remixId: row.remix_id,
            campaignId: row.campaign_id,
            listener,
            address,
          },
          now,
        ),
      )
    },
  })
  if (res.status !== 200 && res.status !== 206) return res
  res.headers.set('Content-Disposition', attachmentName(manifest.remix.title, format))
  res.headers.set('Cache-Control', 'private, no-store')
  return res
})
