import { PREFIX_BYTES } from '../../web/api.ts'
import { RATE, rmsOf } from './signals.ts'

/**
 * The demo stem the prefix tests play: 1.6 minutes of 160 kbit/s MP3, about 1.9 MB (several
 * prefixes long). The pads are the one that sounds from its first seconds (the drums come in at 16 s).
 */
export const STEM = '/stems/audio/pads.mp3'

/** STEM decoded whole and its prefix alone, and the first second of it that sounds. */
export async function decodedStem(): Promise<{
  bytes: ArrayBuffer
  whole: AudioBuffer
  head: AudioBuffer
  loud: number
}> {
  const bytes = await (await fetch(STEM)).arrayBuffer()
  const decoder = new OfflineAudioContext(2, 1, 44_100)
  const whole = await decoder.decodeAudioData(bytes.slice(0))
  const head = await decoder.decodeAudioData(bytes.slice(0, PREFIX_BYTES))
  const left = whole.getChannelData(0)
  let loud = 0
  while (rmsOf(left, loud * RATE, (loud + 1) * RATE) < 0.01) loud++
  return { bytes, whole, head, loud }
}
