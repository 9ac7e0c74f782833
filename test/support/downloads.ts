import type { ExportView } from '../../core/api/exports.ts'
import type { OutputFormat } from '../../core/api/formats.ts'

/** The signed link of one file of a ready export (fails the test when it has none). */
export function linkOf(downloads: ExportView['downloads'], format: OutputFormat): string {
  const file = downloads?.files.find((f) => f.format === format)
  if (!file) throw new Error(`the export has no ${format} to download`)
  return file.url
}
