import type { AuthorStem } from '../../../core/api/authoring.ts'

/** A byte count for people: 1.2 MB. */
export function bytesWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} kB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}

/** A whole percentage, 0 when there is nothing to count. */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.floor((part / whole) * 100)) : 0
}

/** What the worker read from a master, in one line: “WAV · 24-bit · 44.1 kHz · stereo · 3:25”. */
export function masterWords(stem: AuthorStem): string {
  const seconds = stem.sampleRate > 0 ? stem.lengthSamples / stem.sampleRate : 0
  const m = Math.floor(seconds / 60)
  const s = Math.floor(seconds % 60)
  const channels =
    stem.channels === 1 ? 'mono' : stem.channels === 2 ? 'stereo' : `${stem.channels} channels`
  return [
    stem.format.toUpperCase(),
    stem.bitDepth === 32 ? '32-bit float' : `${stem.bitDepth}-bit`,
    `${(stem.sampleRate / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} kHz`,
    channels,
    `${m}:${String(s).padStart(2, '0')}`,
  ].join(' · ')
}

/** What a null test's residual means for the delivered stems. */
export function nullTestWords(residualDb: number): string {
  if (!Number.isFinite(residualDb) || residualDb <= -60)
    return 'The stems sum to the reference mix.'
  if (residualDb <= -30)
    return 'The stems nearly sum to the mix: check for bus processing (compression, limiting) on the mix.'
  return 'The stems do not add up to the mix: a stem may be missing, offset or processed differently.'
}

/** Files the stem uploader takes: lossless masters by extension. The worker reads the bytes itself. */
export const MASTER_EXTENSIONS = ['.wav', '.wave', '.flac']

/** Why a file is not offered as a master, or null. */
export function masterFileProblem(file: File): string | null {
  const name = file.name.toLowerCase()
  if (MASTER_EXTENSIONS.some((ext) => name.endsWith(ext))) return null
  if (/\.(mp3|m4a|aac|ogg|opus)$/.test(name))
    return `${file.name} is a lossy file. Upload the lossless master (WAV or FLAC).`
  return `${file.name} is not a WAV or FLAC file.`
}
