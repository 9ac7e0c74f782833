import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { StemNotesFile } from '../../core/api/notes.ts'
import { DomainError } from '../../core/errors.ts'
import type { AppEnv } from '../env.ts'
import { requireUser } from '../auth/session.ts'
import { serveObject } from '../http/serve-object.ts'
import { licenceGrantsNotes, storeSentNotes } from '../ingest/upload.ts'
import { valid } from '../validate.ts'
import { stemOr404 } from '../views/stems.ts'

const StemParam = z.object({ id: z.string().min(1).max(200) })

/** 20 000 notes (StemNotesFile's most) as JSON. */
const notesLimit = bodyLimit({
  maxSize: 2 * 1024 * 1024,
  onError: () => {
    throw new DomainError('payload_too_large', 'Notes can be at most 2 MiB of JSON.')
  },
})

/** A stem's compressed rendition, its precomputed peaks and its notes. */
export const stems = new Hono<AppEnv>()
  .get('/:id/audio', valid('param', StemParam), async (c) => {
    const { row, cacheControl } = await stemOr404(c.env.DB, c.var.user, c.req.valid('param').id)
    return serveObject(c, row.r2_key, { cacheControl })
  })
  .get('/:id/peaks', valid('param', StemParam), async (c) => {
    const { row, cacheControl } = await stemOr404(c.env.DB, c.var.user, c.req.valid('param').id)
    return serveObject(c, row.peaks_key, { cacheControl })
  })
  // Notes made ahead of time, served while the licence still lets the assistant derive from the
  // stem; none (404) sends the studio to transcribe in the browser, where the licence allows it.
  .get('/:id/notes', valid('param', StemParam), async (c) => {
    const { id } = c.req.valid('param')
    const { row, cacheControl } = await stemOr404(c.env.DB, c.var.user, id)
    if (!row.notes_key || !(await licenceGrantsNotes(c.env.DB, row, { fromOpening: false })))
      throw new DomainError('not_found', `No notes for stem “${id}”.`)
    return serveObject(c, row.notes_key, { cacheControl })
  })
  // Notes transcribed in the artist's browser for an uploaded stem: stored once the worker has
  // checked them against the stem and its own audio (worker/ingest/notes.ts).
  .put(
    '/:id/notes',
    requireUser(),
    notesLimit,
    valid('param', StemParam),
    valid('json', StemNotesFile),
    async (c) => {
      const file = c.req.valid('json')
      const { row } = await stemOr404(c.env.DB, c.var.user, c.req.valid('param').id)
      const { stored, fit } = await storeSentNotes(c.env, c.var.user, row, file)
      return c.json({ notes: { count: file.notes.length, fits: fit.share, stored } })
    },
  )
