import { readWavInfo } from '../../core/audio/wav.ts'

const HEAD_BYTES = 64 * 1024
const known = new Map<string, number>()

/**
 * How long an export lasts, in seconds: as its job stored it, or for an export made before that,
 * from its WAV's header (the first 64 KiB, so the chunks before `data` are there): the worker's
 * own output, not what a client says.
 */
export async function exportSeconds(
  media: R2Bucket,
  row: { id: string; seconds: number | null; wav_key: string | null },
): Promise<number> {
  if (row.seconds !== null) return row.seconds
  const { id: exportId, wav_key: wavKey } = row
  if (!wavKey) throw new Error(`export ${exportId} has neither its length nor a WAV`)
  const cached = known.get(exportId)
  if (cached !== undefined) return cached
  const head = await media.get(wavKey, { range: { offset: 0, length: HEAD_BYTES } })
  if (!head) throw new Error(`export ${exportId} has no WAV at ${wavKey}`)
  const info = readWavInfo(new Uint8Array(await head.arrayBuffer()), true)
  const seconds = info.frames / info.sampleRate
  if (known.size > 10_000) known.clear()
  known.set(exportId, seconds)
  return seconds
}
