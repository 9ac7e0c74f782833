import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import {
  SlugSchema,
  nextLicence,
  sniffImage,
  splitsProblems,
  unknownLicenceStems,
  windowProblem,
} from '../../core/campaign/authoring.ts'
import { IsrcSchema, StemRole } from '../../core/campaign/manifest.ts'
import { campaignShape } from '../../core/campaign/stem-shape.ts'
import type { AuthorCampaign } from '../../core/api/authoring.ts'
import { ContributorSchema, SplitsSchema } from '../../core/credits/splits.ts'
import { DomainError } from '../../core/errors.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import { LicencePolicyInputSchema } from '../../core/licence/presets.ts'
import { requireRole } from '../auth/session.ts'
import { ownedOrAdmin, ownerScope } from '../auth/ownership.ts'
import type { AppEnv, SignedInEnv } from '../env.ts'
import {
  closeCampaign,
  deleteDraftStem,
  deleteImage,
  findAuthorCampaignRow,
  findImage,
  insertDraft,
  insertImage,
  listAuthorCampaignRows,
  listImages,
  publishDraft,
  replaceArtwork,
  saveLicence,
  saveSplits,
  updateDetails,
  updateStem,
  type AuthorCampaignRow,
} from '../db/author-campaigns.ts'
import { authorCampaignFrom, imageFrom, listLicenceVersions } from '../views/author-campaigns.ts'
import { findAuthorStemRow } from '../db/author-stems.ts'
import { clearMarkability } from '../db/ingest.ts'
import { authorStemView, listAuthorStems } from '../views/author-stems.ts'
import { campaignConsent, type OwnerStandings } from '../views/consent.ts'
import { uploadViewFrom } from '../db/uploads.ts'
import { serveObject } from '../http/serve-object.ts'
import { startUpload, uploadCampaignFor, UploadBody } from '../ingest/upload.ts'
import { analysisCopyKey } from '../storage/keys.ts'
import { valid } from '../validate.ts'

/** Largest artwork or official image accepted. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024

/** How many extra official images a campaign may offer. */
const MAX_IMAGES = 20

const EXTENSIONS = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const

const text = (max: number) => z.string().trim().min(1).max(max)
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())

const CreateSchema = z.object({
  slug: SlugSchema,
  title: text(200),
  description: z.string().trim().max(5000).default(''),
  artist: text(200).optional(),
})

const PatchSchema = z.object({
  title: text(200).optional(),
  description: z.string().trim().max(5000).optional(),
  artist: text(200).optional(),
  opensAt: instant.optional(),
  closesAt: instant.optional(),
  tempo: z.number().positive().max(400).optional(),
  musicalKey: z.string().trim().max(20).optional(),
  timeSignature: z
    .tuple([
      z.number().int().min(1).max(32),
      z.union([1, 2, 4, 8, 16, 32].map((n) => z.literal(n))),
    ])
    .optional(),
})

const LicenceSchema = z.object({ policy: LicencePolicyInputSchema })

const SplitsBodySchema = z.object({
  splits: SplitsSchema,
  credits: z.array(ContributorSchema).max(100),
})

const StemPatchSchema = z.object({
  name: text(100).optional(),
  role: StemRole.optional(),
  isVoice: z.boolean().optional(),
  isrc: IsrcSchema.nullable().optional(),
  rightsHolders: z.array(text(200)).max(20).optional(),
})

const jsonLimit = bodyLimit({
  maxSize: 256 * 1024,
  onError: () => {
    throw new DomainError('payload_too_large', 'A request body can be at most 256 KiB.')
  },
})

/** The campaign when the signed-in artist owns it or is an admin: 404 unknown, 403 someone else's. */
async function ownCampaign(c: Context<SignedInEnv>): Promise<AuthorCampaignRow> {
  return ownedOrAdmin(await findAuthorCampaignRow(c.env.DB, c.req.param('id') ?? ''), c.var.user, {
    notFound: 'No such campaign.',
    forbidden: 'Only the campaign’s artist can see or change it.',
  })
}

async function viewOf(
  db: D1Database,
  row: AuthorCampaignRow,
  owners?: OwnerStandings,
): Promise<AuthorCampaign> {
  const [stems, images, consent] = await Promise.all([
    listAuthorStems(db, row.id),
    listImages(db, row.id),
    campaignConsent(db, { id: row.id, ownerId: row.owner_id }, owners),
  ])
  return authorCampaignFrom(row, stems, images, consent)
}

async function freshView(db: D1Database, id: string): Promise<AuthorCampaign> {
  const row = await findAuthorCampaignRow(db, id)
  if (!row) throw new DomainError('not_found', 'No such campaign.')
  return viewOf(db, row)
}

function tooLarge(): never {
  throw new DomainError(
    'payload_too_large',
    `An image can be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`,
  )
}

/** The request body, refused with 413 as soon as it passes `max` bytes. */
async function readImage(req: Request): Promise<Uint8Array> {
  if (Number(req.headers.get('Content-Length') ?? 0) > MAX_IMAGE_BYTES) tooLarge()
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = req.body?.getReader()
  for (;;) {
    const next = await reader?.read()
    if (!next || next.done) break
    size += next.value.length
    if (size > MAX_IMAGE_BYTES) {
      await reader?.cancel()
      tooLarge()
    }
    chunks.push(next.value)
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.length
  }
  return bytes
}

/** An uploaded image: its bytes, type by magic bytes, and content hash. */
async function imageOf(req: Request) {
  const bytes = await readImage(req)
  const type = sniffImage(bytes)
  if (!type) throw new DomainError('bad_request', 'That file is not a PNG, JPEG or WebP image.')
  return { bytes, type, ext: EXTENSIONS[type], sha256: await sha256Hex(bytes) }
}

function draftOnly(row: AuthorCampaignRow, what: string): void {
  if (row.status !== 'draft')
    throw new DomainError('conflict', `${what} only while the campaign is a draft.`)
}

/** Artists' own campaigns: create a draft, fill it in step by step, publish and close it. */
export const artistCampaigns = new Hono<AppEnv>()
  .use(requireRole('artist', 'admin'))
  .post('/', jsonLimit, valid('json', CreateSchema), async (c) => {
    const body = c.req.valid('json')
    const id = crypto.randomUUID()
    const created = await insertDraft(c.env.DB, {
      id,
      slug: body.slug,
      ownerId: c.var.user.id,
      title: body.title,
      artist: body.artist ?? c.var.user.displayName,
      description: body.description,
    })
    if (!created) {
      const message = `The address “${body.slug}” is taken; pick another slug.`
      throw new DomainError('slug_taken', message)
    }
    return c.json({ campaign: await freshView(c.env.DB, id) }, 201)
  })
  .get('/', async (c) => {
    const me = c.var.user
    const rows = await listAuthorCampaignRows(c.env.DB, ownerScope(me))
    const owners: OwnerStandings = new Map()
    const views = await Promise.all(rows.map((row) => viewOf(c.env.DB, row, owners)))
    return c.json({ campaigns: views })
  })
  .get('/:id', async (c) => c.json({ campaign: await viewOf(c.env.DB, await ownCampaign(c)) }))
  .patch('/:id', jsonLimit, valid('json', PatchSchema), async (c) => {
    const row = await ownCampaign(c)
    const changes = c.req.valid('json')
    const problem = windowProblem(
      changes.opensAt ?? (row.opens_at || null),
      changes.closesAt ?? (row.closes_at || null),
    )
    if (problem) throw new DomainError('bad_request', problem)
    await updateDetails(c.env.DB, row.id, changes)
    return c.json({ campaign: await freshView(c.env.DB, row.id) })
  })
  .put('/:id/artwork', async (c) => {
    const row = await ownCampaign(c)
    const image = await imageOf(c.req.raw)
    const key = `campaigns/${row.id}/artwork/${image.sha256}.${image.ext}`
    await c.env.MEDIA.put(key, image.bytes, { httpMetadata: { contentType: image.type } })
    let old: string | null
    try {
      old = await replaceArtwork(c.env.DB, row.id, key)
    } catch (err) {
      if (key !== row.artwork_key) await c.env.MEDIA.delete(key)
      throw err
    }
    if (old && old !== key) await c.env.MEDIA.delete(old)
    return c.json({ campaign: await freshView(c.env.DB, row.id) })
  })
  .get('/:id/artwork', async (c) => {
    const row = await ownCampaign(c)
    if (!row.artwork_key) throw new DomainError('not_found', 'This campaign has no artwork yet.')
    const res = await serveObject(c, row.artwork_key)
    res.headers.set('Cache-Control', 'private, no-cache')
    return res
  })
  .post('/:id/images', async (c) => {
    const row = await ownCampaign(c)
    if ((await listImages(c.env.DB, row.id)).length >= MAX_IMAGES)
      throw new DomainError('conflict', `A campaign can offer at most ${MAX_IMAGES} images.`)
    const image = await imageOf(c.req.raw)
    const id = crypto.randomUUID()
    const key = `campaigns/${row.id}/images/${id}.${image.ext}`
    await c.env.MEDIA.put(key, image.bytes, { httpMetadata: { contentType: image.type } })
    const record = {
      id,
      campaign_id: row.id,
      r2_key: key,
      content_type: image.type,
      size: image.bytes.length,
      sha256: image.sha256,
      created_at: new Date().toISOString(),
    }
    try {
      await insertImage(c.env.DB, record)
    } catch (err) {
      await c.env.MEDIA.delete(key)
      throw err
    }
    return c.json({ image: imageFrom(record) }, 201)
  })
  .get('/:id/images/:imageId', async (c) => {
    const row = await ownCampaign(c)
    const image = await findImage(c.env.DB, row.id, c.req.param('imageId'))
    if (!image) throw new DomainError('not_found', 'No such image.')
    return serveObject(c, image.r2_key)
  })
  .delete('/:id/images/:imageId', async (c) => {
    const row = await ownCampaign(c)
    const image = await findImage(c.env.DB, row.id, c.req.param('imageId'))
    if (!image) throw new DomainError('not_found', 'No such image.')
    await deleteImage(c.env.DB, image.id)
    await c.env.MEDIA.delete(image.r2_key)
    return c.body(null, 204)
  })
  .put('/:id/licence', jsonLimit, valid('json', LicenceSchema), async (c) => {
    const row = await ownCampaign(c)
    const input = c.req.valid('json').policy
    const stems = await listAuthorStems(c.env.DB, row.id)
    const unknown = unknownLicenceStems(
      input,
      row.slug,
      stems.map((s) => s.id),
    )
    if (unknown.length > 0)
      throw new DomainError(
        'bad_request',
        `The licence names stems this campaign does not have: ${unknown.join(', ')}.`,
      )
    const current =
      row.licence === 'null' ? null : LicencePolicySchema.parse(JSON.parse(row.licence))
    const policy = nextLicence(input, {
      slug: row.slug,
      published: row.status !== 'draft',
      current,
    })
    if (policy !== current && !(await saveLicence(c.env.DB, row.id, policy, current?.version ?? 0)))
      throw new DomainError('conflict', 'The licence was changed elsewhere; reload and edit again.')
    return c.json({ campaign: await freshView(c.env.DB, row.id) })
  })
  .get('/:id/licence/versions', async (c) => {
    const row = await ownCampaign(c)
    const stems = await listAuthorStems(c.env.DB, row.id)
    const names = Object.fromEntries(stems.map((s) => [s.id, s.name]))
    return c.json({ versions: await listLicenceVersions(c.env.DB, row.id, names) })
  })
  .put('/:id/splits', jsonLimit, valid('json', SplitsBodySchema), async (c) => {
    const row = await ownCampaign(c)
    const { splits, credits } = c.req.valid('json')
    const stems = await listAuthorStems(c.env.DB, row.id)
    const issues = splitsProblems(
      splits,
      row.slug,
      stems.map((s) => s.id),
    )
    // A draft may name some stems before the rest are uploaded; publishing checks coverage.
    const blocking =
      row.status === 'draft' ? issues.filter((i) => i.code !== 'stem_uncovered') : issues
    if (blocking.length > 0)
      throw new DomainError('bad_request', `Splits: ${blocking.map((i) => i.message).join('; ')}.`)
    await saveSplits(c.env.DB, row.id, splits, credits)
    return c.json({ campaign: await freshView(c.env.DB, row.id) })
  })
  .patch('/:id/stems/:stemId', jsonLimit, valid('json', StemPatchSchema), async (c) => {
    const row = await ownCampaign(c)
    const stem = await findAuthorStemRow(c.env.DB, c.req.param('stemId'))
    if (!stem || stem.campaign_id !== row.id) throw new DomainError('not_found', 'No such stem.')
    const changes = c.req.valid('json')
    const licensed =
      (changes.role !== undefined && changes.role !== stem.role) ||
      (changes.isVoice !== undefined && changes.isVoice !== (stem.is_voice === 1))
    if (licensed && row.status !== 'draft')
      throw new DomainError(
        'conflict',
        'A published stem keeps its role and voice flag: the licence was granted on them.',
      )
    await updateStem(c.env.DB, stem.id, changes)
    return c.json({ stem: await authorStemView(c.env.DB, stem.id) })
  })
  .delete('/:id/stems/:stemId', async (c) => {
    const row = await ownCampaign(c)
    const stem = await findAuthorStemRow(c.env.DB, c.req.param('stemId'))
    if (!stem || stem.campaign_id !== row.id) throw new DomainError('not_found', 'No such stem.')
    draftOnly(row, 'Stems can be removed')
    const splits = row.splits === 'null' ? null : SplitsSchema.parse(JSON.parse(row.splits))
    if (!(await deleteDraftStem(c.env.DB, row.id, stem.id, splits)))
      throw new DomainError('conflict', 'Stems can be removed only while the campaign is a draft.')
    const keys = [stem.master_key, stem.r2_key, stem.peaks_key, analysisCopyKey(stem)].filter(
      (k): k is string => !!k,
    )
    if (keys.length > 0) await c.env.MEDIA.delete(keys)
    // The mix changed: measure whether it carries the watermark again.
    await clearMarkability(c.env.DB, row.id)
    await c.env.INGEST.send({ type: 'markability', campaignId: row.id })
    return c.body(null, 204)
  })
  .post('/:id/publish', async (c) => {
    const row = await ownCampaign(c)
    if (row.status === 'closed')
      throw new DomainError('conflict', 'This campaign was closed; it cannot be published again.')
    const view = await viewOf(c.env.DB, row)
    if (row.status !== 'draft') return c.json({ campaign: view })
    if (view.missing.length > 0 || view.blocks.length > 0) {
      // What is missing, in words, and the same as structured reasons: consent first.
      const reasons = [...view.blocks, ...view.missing]
      const missing = reasons.map((r) => r.message)
      const message = `This campaign cannot be published yet. Missing: ${missing.join(' ')}`
      throw new DomainError('incomplete', message, { missing, reasons })
    }
    const shape = campaignShape(view.stems)!
    try {
      await publishDraft(c.env.DB, row.id, shape.sampleRate)
    } catch (err) {
      // The database re-checks completeness and consent: if the draft now falls short, something
      // changed while this ran; read again rather than match the trigger's words.
      const now = await viewOf(c.env.DB, await ownCampaign(c))
      if (now.status === 'draft' && now.missing.length === 0 && now.blocks.length === 0) throw err
      throw new DomainError('conflict', 'The campaign changed while publishing; try again.')
    }
    return c.json({ campaign: await freshView(c.env.DB, row.id) })
  })
  .post('/:id/close', async (c) => {
    const row = await ownCampaign(c)
    if (row.status === 'draft')
      throw new DomainError('conflict', 'A draft is not published, so there is nothing to close.')
    await closeCampaign(c.env.DB, row.id)
    return c.json({ campaign: await freshView(c.env.DB, row.id) })
  })
  // Starts the upload of a stem master or reference mix; its parts go to /api/artist/uploads/:id.
  .post('/:id/uploads', valid('json', UploadBody), async (c) => {
    const campaign = await uploadCampaignFor(c.env.DB, c.var.user, c.req.param('id'))
    const row = await startUpload(c.env, c.var.user, campaign, c.req.valid('json'))
    return c.json({ upload: uploadViewFrom(row, []) }, 201)
  })
