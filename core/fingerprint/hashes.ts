// Triplet hashes (after Six & Leman's Panako): three peaks give a ratio of time differences and two
// log-frequency differences, unchanged by a tempo change, a pitch shift or both (a speed change).
import { BINS, MAIN_BAND, mainFrameOf, type Band, type Peaks } from './landmarks.ts'

/** A triplet spans MIN_SPAN to MAX_SPAN frames of its band (to 0.8 s in the main band, 3.2 s in the low). */
const MIN_SPAN = 3
const MAX_SPAN = 50
/** Peaks after the anchor that pair into its triplets. */
const FAN = 4
/** Largest log-frequency difference inside a triplet (an octave). */
const MAX_DBIN = 24
const RATIO_CELLS = 16
const BAND_BINS = 27
/** Bits of a hash: ratio 4, two frequency differences 6 + 6, anchor band 2, span 4, family 1. */
export const HASH_BITS = 23
/** The band a triplet's peaks come from (its family: main or low) is the hash's top bit. */
const FAMILY_SHIFT = 22
/** Query features within this fraction of a cell edge also probe the neighbouring cell. */
const PROBE_MARGIN = 0.2

/**
 * Triplet hashes, in anchor time order within each family: hash, anchor frame (FRAME_SECONDS
 * units, whatever the band) and anchor bin (rounded).
 */
export interface Hashes {
  count: number
  hash: Uint32Array
  frame: Int32Array
  bin: Uint8Array
  /** Which triplet a hash came from: queries probe several cells per triplet. */
  triplet: Int32Array
  triplets: number
  /** 1 for a triplet's own cells, 0 for a probed neighbouring cell. */
  primary: Uint8Array
}

/** The five quantised features of a triplet, in cell units (cell = floor). */
function featuresInto(peaks: Peaks, i: number, a: number, b: number, out: Float64Array): void {
  const t1 = peaks.frame[i]!
  const dt2 = peaks.frame[a]! - t1
  const dt3 = peaks.frame[b]! - t1
  const k1 = peaks.bin[i]!
  out[0] = (dt2 / dt3) * RATIO_CELLS
  out[1] = peaks.bin[a]! - k1 + MAX_DBIN + 0.5
  out[2] = peaks.bin[b]! - k1 + MAX_DBIN + 0.5
  out[3] = Math.min(BINS - 1, Math.max(0, k1)) / BAND_BINS
  out[4] = 2 * Math.log2(dt3) - 3
}

const LIMITS = [RATIO_CELLS, 2 * MAX_DBIN + 1, 2 * MAX_DBIN + 1, 4, 9]
const SHIFTS = [0, 4, 10, 16, 18]

function clampCell(v: number, f: number): number {
  return Math.min(LIMITS[f]! - 1, Math.max(0, v))
}

class Builder {
  count = 0
  triplets = 0
  hash = new Uint32Array(1024)
  frame = new Int32Array(1024)
  bin = new Uint8Array(1024)
  triplet = new Int32Array(1024)
  primary = new Uint8Array(1024)

  push(hash: number, frame: number, bin: number, primary: boolean): void {
    if (this.count === this.hash.length) {
      const grow = <T extends Uint32Array | Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2)
        b.set(a)
        return b
      }
      this.hash = grow(this.hash)
      this.frame = grow(this.frame)
      this.bin = grow(this.bin)
      this.triplet = grow(this.triplet)
      this.primary = grow(this.primary)
    }
    this.hash[this.count] = hash
    this.frame[this.count] = frame
    this.bin[this.count] = bin
    this.triplet[this.count] = this.triplets
    this.primary[this.count] = primary ? 1 : 0
    this.count++
  }

  result(): Hashes {
    const n = this.count
    return {
      count: n,
      hash: this.hash.subarray(0, n),
      frame: this.frame.subarray(0, n),
      bin: this.bin.subarray(0, n),
      triplet: this.triplet.subarray(0, n),
      triplets: this.triplets,
      primary: this.primary.subarray(0, n),
    }
  }
}

/**
 * The triplet hashes of a signal's peaks. `probe` (for queries) adds the neighbouring cell of each
 * feature that lies near a cell edge, so that small measurement errors do not lose the triplet.
 */
export function hashesOf(
  peaks: Peaks,
  probe = false,
  fanOut = FAN,
  band: Band = MAIN_BAND,
): Hashes {
  const out = new Builder()
  const familyBits = band.family << FAMILY_SHIFT
  const features = new Float64Array(5)
  const cells = new Int32Array(5)
  const alt = new Int32Array(5)
  const fan = new Int32Array(fanOut)
  for (let i = 0; i < peaks.count; i++) {
    const t1 = peaks.frame[i]!
    const k1 = peaks.bin[i]!
    let n = 0
    for (let j = i + 1; j < peaks.count && n < fanOut; j++) {
      const dt = peaks.frame[j]! - t1
      if (dt > MAX_SPAN) break
      if (dt < 1 || Math.abs(peaks.bin[j]! - k1) >= MAX_DBIN) continue
      fan[n++] = j
    }
    const anchorBin = Math.min(BINS - 1, Math.max(0, Math.round(k1)))
    const anchorFrame = mainFrameOf(band, t1)
    for (let x = 0; x < n; x++)
      for (let y = x + 1; y < n; y++) {
        const a = fan[x]!
        const b = fan[y]!
        if (peaks.frame[b]! <= peaks.frame[a]! || peaks.frame[b]! - t1 < MIN_SPAN) continue
        const spread = band.minSpread
        if (Math.abs(peaks.bin[a]! - k1) < spread && Math.abs(peaks.bin[b]! - k1) < spread) continue
        featuresInto(peaks, i, a, b, features)
        let probes = 0
        for (let f = 0; f < 5; f++) {
          const v = features[f]!
          const c = Math.floor(v)
          cells[f] = clampCell(c, f)
          alt[f] = -1
          if (!probe) continue
          const r = v - c
          const other = r < PROBE_MARGIN ? c - 1 : r > 1 - PROBE_MARGIN ? c + 1 : -1
          if (other >= 0 && other < LIMITS[f]! && clampCell(other, f) !== cells[f]) {
            alt[f] = other
            probes |= 1 << f
          }
        }
        // Every combination of the primary and (where near an edge) the neighbouring cells.
        for (let mask = probes; ; mask = (mask - 1) & probes) {
          let h = familyBits
          for (let f = 0; f < 5; f++) h |= (mask & (1 << f) ? alt[f]! : cells[f]!) << SHIFTS[f]!
          out.push(h >>> 0, anchorFrame, anchorBin, mask === 0)
          if (mask === 0) break
        }
        out.triplets++
      }
  }
  return out.result()
}

/** Hashes of several bands as one, each part's triplets numbered after the previous parts'. */
export function concatHashes(parts: readonly Hashes[]): Hashes {
  const n = parts.reduce((sum, p) => sum + p.count, 0)
  const out: Hashes = {
    count: n,
    hash: new Uint32Array(n),
    frame: new Int32Array(n),
    bin: new Uint8Array(n),
    triplet: new Int32Array(n),
    triplets: parts.reduce((sum, p) => sum + p.triplets, 0),
    primary: new Uint8Array(n),
  }
  let at = 0
  let triplets = 0
  for (const p of parts) {
    out.hash.set(p.hash, at)
    out.frame.set(p.frame, at)
    out.bin.set(p.bin, at)
    out.primary.set(p.primary, at)
    for (let i = 0; i < p.count; i++) out.triplet[at + i] = p.triplet[i]! + triplets
    at += p.count
    triplets += p.triplets
  }
  return out
}

/** Only the triplets' own cells of a query (one hash per triplet): the first, cheaper lookup. */
export function primaryHashesOf(hashes: Hashes): Hashes {
  let n = 0
  for (let i = 0; i < hashes.count; i++) n += hashes.primary[i]!
  const out: Hashes = {
    count: n,
    hash: new Uint32Array(n),
    frame: new Int32Array(n),
    bin: new Uint8Array(n),
    triplet: new Int32Array(n),
    triplets: hashes.triplets,
    primary: new Uint8Array(n).fill(1),
  }
  for (let i = 0, j = 0; i < hashes.count; i++) {
    if (!hashes.primary[i]) continue
    out.hash[j] = hashes.hash[i]!
    out.frame[j] = hashes.frame[i]!
    out.bin[j] = hashes.bin[i]!
    out.triplet[j++] = hashes.triplet[i]!
  }
  return out
}
