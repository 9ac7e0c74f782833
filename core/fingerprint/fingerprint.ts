// The public face of the fingerprint: audio → hashes (for the index or a query) → matches.
import type { Hertz } from '../units.ts'
import { concatHashes, hashesOf, type Hashes } from './hashes.ts'
import { fingerprintInput, LOW_BAND, MAIN_BAND, peaksOf, spectrogramOf } from './landmarks.ts'
import { entryOf, MAX_FRAMES } from './match.ts'

export type { Hashes } from './hashes.ts'
export { matchHits, significantMatches, type Hits, type Match } from './match.ts'

/**
 * The bands peaks are picked in: the main one, and the low one, where a bass line or kick drum
 * under other music still leaves peaks. Each hashes on its own; the matcher aligns them together.
 */
const BANDS = [MAIN_BAND, LOW_BAND]

/** The triplet hashes of mono audio at any rate, for the index. */
export function fingerprintOf(pcm: Float32Array, sampleRate: Hertz): Hashes {
  const input = fingerprintInput(pcm, sampleRate)
  return concatHashes(
    BANDS.map((band) => hashesOf(peaksOf(spectrogramOf(input, band)), false, undefined, band)),
  )
}

/** Query peaks per second and fan-out relative to the index: a mix hides some of a stem's peaks. */
const QUERY_DENSITY = 2
const QUERY_FAN = 7

/** The hashes of a query: denser peaks, a wider fan and neighbouring cells probed. */
export function queryFingerprintOf(pcm: Float32Array, sampleRate: Hertz): Hashes {
  const input = fingerprintInput(pcm, sampleRate)
  return concatHashes(
    BANDS.map((band) =>
      hashesOf(
        peaksOf(spectrogramOf(input, band), band.perSecond * QUERY_DENSITY),
        true,
        QUERY_FAN,
        band,
      ),
    ),
  )
}

/** Index rows of a recording, distinct: hash and packed entry (recording number, anchor frame and bin). */
export function indexRowsOf(
  ref: number,
  hashes: Hashes,
): { hash: Uint32Array; entry: Float64Array } {
  const order: number[] = []
  for (let i = 0; i < hashes.count; i++) if (hashes.frame[i]! < MAX_FRAMES) order.push(i)
  const n = order.length
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
