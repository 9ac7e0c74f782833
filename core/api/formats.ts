// The files an export can be delivered as: what a fan chooses, what each file is, and how the
// old exports' two files (WAV, MP3) are named in this list. Both sides import it.

/** The formats a fan can choose for an export. */
export const EXPORT_FORMATS = [
  'mp3-320',
  'mp3-192',
  'wav-16',
  'wav-24',
  'flac',
  'stems-zip',
] as const

/** A format a fan can choose. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Every file an export can list: the chosen formats and the cover as its own download. */
export type OutputFormat = ExportFormat | 'cover-png'

/** What an export is made as when the request names no formats: today's WAV and MP3. */
export const DEFAULT_FORMATS: readonly ExportFormat[] = ['mp3-192', 'wav-16']

/** What the export dialog ticks at first. */
export const SUGGESTED_FORMATS: readonly ExportFormat[] = ['mp3-320', 'wav-24']

/** The MP3 every export has for the share page's player and the watermark check. */
export const STREAM_FORMAT: ExportFormat = 'mp3-192'

/** The MP3 formats' constant bit rates, in kbit/s. */
export const MP3_KBPS: Partial<Record<ExportFormat, number>> = { 'mp3-320': 320, 'mp3-192': 192 }

/** One kind of file: what the fan reads, its file name's ending and its media type. */
export type FormatInfo = { label: string; ext: string; suffix: string; contentType: string }

/** Each file's label, name ending (after the export id) and media type. */
export const FORMAT_INFO: Record<OutputFormat, FormatInfo> = {
  'mp3-320': {
    label: 'MP3, 320 kbit/s',
    ext: 'mp3',
    suffix: '-320.mp3',
    contentType: 'audio/mpeg',
  },
  'mp3-192': { label: 'MP3, 192 kbit/s', ext: 'mp3', suffix: '.mp3', contentType: 'audio/mpeg' },
  'wav-16': {
    label: 'WAV, 16-bit (CD quality, dithered)',
    ext: 'wav',
    suffix: '.wav',
    contentType: 'audio/wav',
  },
  'wav-24': { label: 'WAV, 24-bit', ext: 'wav', suffix: '-24.wav', contentType: 'audio/wav' },
  flac: {
    label: 'FLAC, 24-bit (lossless)',
    ext: 'flac',
    suffix: '.flac',
    contentType: 'audio/flac',
  },
  'stems-zip': {
    label: 'Stems: one 32-bit float WAV per stem as your mix plays it, before the master (ZIP)',
    ext: 'zip',
    suffix: '-stems.zip',
    contentType: 'application/zip',
  },
  'cover-png': {
    label: 'Cover, 3000×3000 PNG',
    ext: 'png',
    suffix: '-cover.png',
    contentType: 'image/png',
  },
}

/** The files the job writes for a choice: the chosen ones, plus the stream MP3 when none is an MP3. */
export function formatsToWrite(chosen: readonly ExportFormat[]): ExportFormat[] {
  const set = new Set(chosen)
  if (!set.has('mp3-192') && !set.has('mp3-320')) set.add(STREAM_FORMAT)
  return EXPORT_FORMATS.filter((f) => set.has(f))
}

/** The names the exports before the choice of formats used: their WAV was 16-bit, their MP3 192. */
const LEGACY: Record<string, OutputFormat> = { wav: 'wav-16', mp3: 'mp3-192' }

/** An output format by its name in a manifest (the old `wav` and `mp3` included), or null. */
export function outputFormatOf(name: string): OutputFormat | null {
  if (name in FORMAT_INFO) return name as OutputFormat
  return LEGACY[name] ?? null
}

/** The MP3 the share page plays and the watermark check reads: the 192 kbit/s one when made. */
export const streamFormatOf = (written: readonly ExportFormat[]): ExportFormat =>
  written.includes('mp3-192') ? 'mp3-192' : 'mp3-320'

/** A file's size as people read it: "8.2 MB", "640 kB" (decimal units, as file managers show). */
export function sizeOf(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`
  return `${bytes} bytes`
}
