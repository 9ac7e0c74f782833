// The API's stem heads: every named stem's first bytes of its rendition in one response
// (GET /api/stems/heads?ids=a,b&bytes=N, or a campaign's every stem by its slug:
// GET /api/campaigns/:slug/heads?bytes=N, asked beside the campaign itself), so a studio's first
// seconds wait for one request, not for one per stem queued behind each other (and their peaks)
// on the browser's connections.
import { z } from 'zod'

/** Stems one request may name: a campaign's stems, with room. */
export const HEADS_MAX_STEMS = 32
/** Bytes of each stem one request may ask for. */
export const HEAD_MAX_BYTES = 512 * 1024

/** How many of each stem's first bytes: a campaign's heads ask only this. */
export const CampaignHeadsQuery = z.object({
  bytes: z.coerce.number().int().min(1).max(HEAD_MAX_BYTES),
})

export const StemHeadsQuery = CampaignHeadsQuery.extend({
  ids: z
    .string()
    .max(HEADS_MAX_STEMS * 201)
    .transform((s) => s.split(','))
    .pipe(z.array(z.string().min(1).max(200)).min(1).max(HEADS_MAX_STEMS)),
})

/** One stem's part of the response: its id, how many bytes follow, the whole file's size and ETag. */
const HeadEntry = z.object({
  id: z.string(),
  length: z.number().int().min(0),
  total: z.number().int().min(0),
  etag: z.string(),
})
const HeadsIndex = z.object({ heads: z.array(HeadEntry).max(HEADS_MAX_STEMS) })

export type StemHead = z.infer<typeof HeadEntry> & { bytes: Uint8Array<ArrayBuffer> }

export const STEM_HEADS_TYPE = 'application/vnd.stemfair.heads'

/**
 * The response body: a 4-byte big-endian length, that many bytes of JSON (the index: each head's
 * id, length, total and ETag, in the order asked), then each head's bytes in that order.
 */
export function encodeHeads(heads: readonly StemHead[]): Uint8Array<ArrayBuffer> {
  const index = new TextEncoder().encode(
    JSON.stringify({
      heads: heads.map(({ id, length, total, etag }) => ({ id, length, total, etag })),
    }),
  )
  const size = 4 + index.length + heads.reduce((n, h) => n + h.bytes.length, 0)
  const out = new Uint8Array(size)
  new DataView(out.buffer).setUint32(0, index.length)
  out.set(index, 4)
  let at = 4 + index.length
  for (const h of heads) {
    out.set(h.bytes, at)
    at += h.bytes.length
  }
  return out
}

/** The heads in a response body; throws on a body that is not one (bad index, short bytes). */
export function decodeHeads(body: ArrayBuffer): StemHead[] {
  const view = new DataView(body)
  if (body.byteLength < 4) throw new Error('A stem heads response shorter than its index.')
  const indexLength = view.getUint32(0)
  if (4 + indexLength > body.byteLength) throw new Error('A stem heads index past its end.')
  const json = new TextDecoder().decode(new Uint8Array(body, 4, indexLength))
  const { heads } = HeadsIndex.parse(JSON.parse(json))
  let at = 4 + indexLength
  const out = heads.map((h) => {
    if (at + h.length > body.byteLength) throw new Error(`Stem head “${h.id}” past the end.`)
    const bytes = new Uint8Array(body.slice(at, at + h.length))
    at += h.length
    return { ...h, bytes }
  })
  if (at !== body.byteLength) throw new Error('Bytes after the last stem head.')
  return out
}
