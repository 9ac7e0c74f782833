// The stems' first bytes in one response, for both heads routes (by stem ids, by campaign).
import type { Context } from 'hono'
import {
  encodeHeads,
  HEADS_MAX_STEMS,
  STEM_HEADS_TYPE,
  type StemHead,
} from '../../core/api/stem-heads.ts'
import { DomainError } from '../../core/errors.ts'
import type { StemRow } from '../db/stems.ts'
import type { AppEnv } from '../env.ts'

/**
 * The stems' first `bytes` of their renditions in one response (framed: core/api/stem-heads), in
 * the order given, at most HEADS_MAX_STEMS of them; `cacheControl` is the answer's policy.
 */
export async function headsResponse(
  c: Context<AppEnv>,
  rows: readonly StemRow[],
  bytes: number,
  cacheControl: string,
): Promise<Response> {
  const heads: StemHead[] = await Promise.all(
    rows.slice(0, HEADS_MAX_STEMS).map(async (row) => {
      const object = await c.env.MEDIA.get(row.r2_key, { range: { offset: 0, length: bytes } })
      if (!object) throw new DomainError('not_found', 'That file is missing from storage.')
      const head = new Uint8Array(await object.arrayBuffer())
      // the rest is asked for by Range: an ETag other than this one there is another file
      const { size: total, httpEtag: etag } = object
      return { id: row.id, length: head.length, total, etag, bytes: head }
    }),
  )
  return c.body(encodeHeads(heads), 200, {
    'Content-Type': STEM_HEADS_TYPE,
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
  })
}

/** How long a published campaign's heads may be cached. */
export const PUBLIC_HEADS = 'public, max-age=60'
