import { Hono } from 'hono'
import { DomainError } from '../../core/errors.ts'
import type { AppEnv } from '../env.ts'
import { findStemRow } from '../db/stems.ts'
import { serveObject } from '../http/serve-object.ts'

async function stemOr404(db: D1Database, id: string) {
  const row = await findStemRow(db, id)
  if (!row) throw new DomainError('not_found', `No stem with id “${id}”.`)
  return row
}

/** A stem's compressed rendition and its precomputed peaks. */
export const stems = new Hono<AppEnv>()
  .get('/:id/audio', async (c) =>
    serveObject(c, (await stemOr404(c.env.DB, c.req.param('id'))).r2_key),
  )
  .get('/:id/peaks', async (c) =>
    serveObject(c, (await stemOr404(c.env.DB, c.req.param('id'))).peaks_key),
  )
