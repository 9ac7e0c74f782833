import { Hono } from 'hono'
import { DomainError } from '../../core/errors.ts'
import type { ExportFormat, ExportManifest } from '../../core/provenance/manifest.ts'
import type { AppEnv } from '../env.ts'
import { findExportRow } from '../db/exports.ts'
import { findRemixRow } from '../db/remixes.ts'
import { addressTag } from '../events/address.ts'
import { eventNow } from '../events/event.ts'
import { ensureListener } from '../events/listener.ts'
import { verifyDownload } from '../http/download-link.ts'
import { serveObject } from '../http/serve-object.ts'

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
      // The fan may fetch their own export before the artist approved it: it is not counted.
      if (!row.public) return
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
