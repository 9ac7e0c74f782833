// The public face of the fingerprint: audio → hashes (for the index or a query) → matches.
import type { Hertz } from '../units.ts'
import { hashesOf, type Hashes } from './hashes.ts'
import { fingerprintInput, PEAKS_PER_SECOND, peaksOf, spectrogramOf } from './landmarks.ts'
import { entryOf, MAX_FRAMES } from './match.ts'

export type { Hashes } from './hashes.ts'
export { matchHits, significantMatches, type Hits, type Match } from './match.ts'

/** The triplet hashes of mono audio at any rate; `probe` for queries (see hashesOf). */
export function fingerprintOf(pcm: Float32Array, sampleRate: Hertz): Hashes {
  return hashesOf(peaksOf(spectrogramOf(fingerprintInput(pcm, sampleRate))))
}

/** Query peaks per second and fan-out relative to the index: a mix hides some of a stem's peaks. */
const QUERY_DENSITY = 2
const QUERY_FAN = 7

/** The hashes of a query: denser peaks, a wider fan and neighbouring cells probed. */
export function queryFingerprintOf(pcm: Float32Array, sampleRate: Hertz): Hashes {
  const spectrogram = spectrogramOf(fingerprintInput(pcm, sampleRate))
  return hashesOf(peaksOf(spectrogram, PEAKS_PER_SECOND * QUERY_DENSITY), true, QUERY_FAN)
}

/** Index rows of a recording, distinct: hash and packed entry (recording number, anchor frame and bin). */
export function indexRowsOf(
  ref: number,
  hashes: Hashes,
): { hash: Uint32Array; entry: Float64Array } {
  let n = 0
  while (n < hashes.count && hashes.frame[n]! < MAX_FRAMES) n++
  const order = Array.from({ length: n }, (_, i) => i)
  const entryAt = (i: number) => entryOf(ref, hashes.frame[i]!, hashes.bin[i]!)
  order.sort((a, b) => hashes.hash[a]! - hashes.hash[b]! || entryAt(a) - entryAt(b))
  const hash = new Uint32Array(n)
  const entry = new Float64Array(n)
  let m = 0
  for (const i of order) {
    const h = hashes.hash[i]!
    const e = entryAt(i)
    if (m > 0 && hash[m - 1] === h && entry[m - 1] === e) continue
    hash[m] = h
    entry[m++] = e
  }
  return { hash: hash.subarray(0, m), entry: entry.subarray(0, m) }
}

/** Mono mix of planar channels. */
export function monoOf(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!
  const n = channels[0]!.length
  const out = new Float32Array(n)
  for (const c of channels) for (let i = 0; i < n; i++) out[i] = out[i]! + c[i]!
  const g = 1 / channels.length
  for (let i = 0; i < n; i++) out[i] = out[i]! * g
  return out
}
