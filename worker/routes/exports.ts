import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { windowViolation } from '../../core/campaign/authoring.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { UserView } from '../../core/api/users.ts'
import type { Contributor } from '../../core/credits/splits.ts'
import { DomainError } from '../../core/errors.ts'
import { evaluateLicence, type Violation } from '../../core/licence/evaluate.ts'
import { dailyExportCap } from '../../core/licence/export-cap.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import { claimFrom } from '../../core/provenance/claim.ts'
import {
  manifestFrom,
  type ExportFormat,
  type ExportManifest,
} from '../../core/provenance/manifest.ts'
import { RecipeSchema } from '../../core/recipe/schema.ts'
import type { AppEnv, Bindings } from '../env.ts'
import { requireRole } from '../auth/session.ts'
import { findCampaignRow, windowOf } from '../db/campaigns.ts'
import {
  countExportsSince,
  deleteUnstartedExport,
  exportFrom,
  findExportByKey,
  findExportRow,
  insertExport,
  listExportsOf,
  type ExportRow,
} from '../db/exports.ts'
import { findRemixRow } from '../db/remixes.ts'
import { addressTag } from '../events/address.ts'
import { eventNow } from '../events/event.ts'
import { ensureListener } from '../events/listener.ts'
import { listStems } from '../db/stems.ts'
import { submitExported } from './moderation.ts'
import { serveObject } from '../http/serve-object.ts'
import { valid } from '../validate.ts'

/** How long a signed download link works. */
const DOWNLOAD_TTL_SECONDS = 10 * 60

const DAY_MS = 24 * 60 * 60 * 1000

/** What a fan asks to export: a saved version of their remix. The server renders it. */
const CreateBody = z.strictObject({
  remix: z.string().min(1).max(100),
  version: z.number().int().min(1),
})

/** A client-chosen key (RFC draft "Idempotency-Key"): one export per key and fan. */
const IdempotencyKey = z
  .string({ error: 'Send an Idempotency-Key header (for example a random UUID).' })
  .regex(/^[\x21-\x7e]{8,200}$/, 'An Idempotency-Key is 8 to 200 visible ASCII characters.')

function signedIn(c: Context<AppEnv>): UserView {
  const user = c.get('user')
  if (!user) throw new DomainError('unauthorized', 'Log in first.')
  return user
}

/** A 64-bit random id as 16 hex digits: the export id and the watermark payload. */
function newExportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function licenceViolation(violations: Violation[]) {
  const message = violations.map((v) => v.message).join(' ')
  return new DomainError('licence_violation', message, { violations })
}

function conflict(current: number) {
  const message = `This remix has been saved since (version ${current}). Save, then export again.`
  return new DomainError('conflict', message, { current })
}

/** The browser used to upload a WAV here: that route is gone, the server renders every export. */
function isOldUpload(c: Context<AppEnv>): boolean {
  const type = c.req.header('Content-Type') ?? ''
  return (
    /^(audio\/|application\/octet-stream)/i.test(type) ||
    c.req.query('remix') !== undefined ||
    c.req.query('version') !== undefined
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

async function viewOf(env: Bindings, row: ExportRow): Promise<ExportView> {
  return exportFrom(row, row.status === 'ready' ? await signDownloads(env, row.id) : null)
}

/** The same export for a replayed key; a key is never reused for another remix or version. */
function replayOf(row: ExportRow, remix: string, version: number): ExportRow {
  if (row.remix_id !== remix || row.remix_version !== version)
    throw new DomainError(
      'conflict',
      'This Idempotency-Key was used for another export; send a new key for a new export.',
    )
  return row
}

/**
 * A fan's exports: ask the server to render a saved remix (a queue job, worker/export/), follow
 * it through the pipeline, download it.
 */
export const exportsRoute = new Hono<AppEnv>()
  .use(requireRole())
  .post(
    '/',
    async (c, next) => {
      if (isOldUpload(c))
        throw new DomainError(
          'not_found',
          'Exports are no longer uploaded: the server renders the saved remix. ' +
            'POST {"remix", "version"} as JSON with an Idempotency-Key header.',
        )
      return next()
    },
    valid('json', CreateBody),
    async (c) => {
      const user = signedIn(c)
      const key = IdempotencyKey.parse(c.req.header('Idempotency-Key'))
      const asked = c.req.valid('json')
      const earlier = await findExportByKey(c.env.DB, user.id, key)
      if (earlier)
        return c.json(
          { export: await viewOf(c.env, replayOf(earlier, asked.remix, asked.version)) },
          202,
        )

      const remix = await findRemixRow(c.env.DB, asked.remix)
      if (!remix) throw new DomainError('not_found', 'No such remix.')
      if (remix.owner_id !== user.id)
        throw new DomainError('forbidden', 'Only the fan who made this remix can export it.')
      if (remix.status === 'taken_down')
        throw new DomainError('forbidden', 'This remix was taken down and cannot be exported.')
      if (remix.version !== asked.version) throw conflict(remix.version)

      const campaign = await findCampaignRow(c.env.DB, remix.campaign_slug)
      if (!campaign) throw new DomainError('not_found', 'No such campaign.')
      const policy = LicencePolicySchema.parse(JSON.parse(campaign.licence))
      const recipe = RecipeSchema.parse(JSON.parse(remix.recipe))
      const stems = await listStems(c.env.DB, campaign.id)
      const now = new Date()
      const closed = windowViolation(windowOf(campaign), now.toISOString())
      if (closed) throw licenceViolation([closed])
      const since = new Date(now.getTime() - DAY_MS).toISOString()
      const judge = async () =>
        evaluateLicence(policy, {
          action: 'export',
          at: now.toISOString(),
          country: (c.req.raw.cf?.country as string | undefined) ?? null,
          purpose: 'non-commercial',
          recipe,
          stems: licenceStemsFrom(campaign.slug, stems),
          exportsToday: await countExportsSince(c.env.DB, user.id, campaign.id, since),
          approved: remix.status === 'published',
          names: Object.fromEntries(stems.map((s) => [s.id, s.name])),
        })
      const decision = await judge()
      if (!decision.allowed) throw licenceViolation(decision.violations)

      const id = newExportId()
      const manifest = await manifestFrom(
        await claimFrom({
          id,
          now,
          // links in the files follow the host the app is served from
          origin: new URL(c.req.url).origin,
          remix: {
            id: remix.id,
            version: remix.version,
            title: remix.title,
            fan: remix.owner_name,
          },
          campaign: { ...campaign, credits: JSON.parse(campaign.credits) as Contributor[] },
          policy,
          recipe,
          stems,
          decision,
        }),
      )
      const cap = dailyExportCap(policy)
      const inserted = await insertExport(c.env.DB, {
        id,
        remixId: remix.id,
        remixVersion: remix.version,
        campaignId: campaign.id,
        ownerId: user.id,
        licenceVersion: policy.version,
        recipeHash: manifest.remix.recipeSha256,
        recipe: remix.recipe,
        manifest: JSON.stringify(manifest),
        createdAt: now.toISOString(),
        idempotencyKey: key,
        limit: cap === null ? null : { max: cap, since },
      })
      if (inserted.outcome === 'limited') {
        // Another request took the last export of the day meanwhile: the licence words why.
        const late = await judge()
        throw licenceViolation(
          late.violations.length
            ? late.violations
            : [{ code: 'export_limit', message: 'The daily export limit is reached.' }],
        )
      }
      if (inserted.outcome === 'existing')
        return c.json(
          { export: await viewOf(c.env, replayOf(inserted.row, asked.remix, asked.version)) },
          202,
        )
      try {
        await submitExported(c.env.DB, { remix, fan: user, exportId: id, policy })
        await c.env.JOBS.send({ type: 'export', exportId: id })
      } catch (err) {
        await deleteUnstartedExport(c.env.DB, id)
        throw err
      }
      return c.json({ export: await viewOf(c.env, inserted.row) }, 202)
    },
  )
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
    throw new DomainError('gone', 'This remix was taken down.')
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
