import { Hono } from 'hono'
import { DomainError } from '../../core/errors.ts'
import { FORMAT_INFO, type OutputFormat } from '../../core/api/formats.ts'
import { outputsOf, type ExportManifest } from '../../core/provenance/manifest.ts'
import type { AppEnv } from '../env.ts'
import { findExportRow } from '../db/exports.ts'
import { findRemixRow } from '../db/remixes.ts'
import { addressTag } from '../events/address.ts'
import { eventNow } from '../events/event.ts'
import { ensureListener, ledgerOf } from '../events/listener.ts'
import { verifyDownload } from '../http/download-link.ts'
import { serveObject } from '../http/serve-object.ts'

function attachmentName(title: string, format: OutputFormat): string {
  const what =
    format === 'cover-png'
      ? 'cover'
      : format === 'stems-zip'
        ? 'stems'
        : format.replace(/^(mp3|wav)-(\d+)$/, (_, f: string, n: string) =>
            f === 'mp3' ? `${n} kbps` : `${n}-bit`,
          )
  const name = `${title} (Stemfair remix, ${what}).${FORMAT_INFO[format].ext}`
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, "'")
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/**
 * Signed download links, one per file the export's manifest lists; a completed download of one of
 * its audio files is a `download` event (worker/events/), once per listener, export and day.
 */
export const downloads = new Hono<AppEnv>().get('/:id/:format', async (c) => {
  const { id, format: name } = c.req.param()
  const { exp = '', sig = '' } = c.req.query()
  if (!(name in FORMAT_INFO))
    throw new DomainError(
      'not_found',
      `Exports download as ${Object.keys(FORMAT_INFO).join(', ')}.`,
    )
  const format = name as OutputFormat
  if (!(await verifyDownload(c.env, id, format, exp, sig)))
    throw new DomainError('forbidden', 'This download link is invalid or has expired.')
  const row = await findExportRow(c.env.DB, id)
  if (!row || row.status !== 'ready' || !row.manifest)
    throw new DomainError('not_found', 'No such export.')
  const manifest = JSON.parse(row.manifest) as ExportManifest
  const key = outputsOf(manifest).find((o) => o.format === format)?.output.key
  if (!key) throw new DomainError('not_found', 'This export was not made in that format.')
  if ((await findRemixRow(c.env.DB, row.remix_id))?.status === 'taken_down')
    throw new DomainError('gone', 'This remix was taken down.')
  const listener = await ensureListener(c)
  const address = await addressTag(c)
  const ledger = ledgerOf(c.env, listener)
  // A download counts once per listener, export and day, when every byte of the file was served.
  const res = await serveObject(c, key, {
    onServed: async (offset, length, size) => {
      // The fan may fetch their own export before the artist approved it: it is not counted;
      // nor is the cover, which is not the remix.
      if (!row.public || format === 'cover-png') return
      const download = eventNow({
        type: 'download',
        exportId: id,
        remixId: row.remix_id,
        campaignId: row.campaign_id,
        listener,
        address,
      })
      // Counted (kept and enqueued by the listener's object) once the whole file was served.
      await ledger.downloaded(download, format, offset, offset + length, size)
    },
  })
  if (res.status !== 200 && res.status !== 206) return res
  res.headers.set('Content-Disposition', attachmentName(manifest.remix.title, format))
  res.headers.set('Cache-Control', 'private, no-store')
  return res
})
