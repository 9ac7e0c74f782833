// The matcher: hash hits vote on one (time scale, time offset, frequency shift) per indexed
// recording, the way a tempo, pitch or speed change moves every landmark alike.
import type { Seconds } from '../units.ts'
import type { Hashes } from './hashes.ts'
import { BINS_PER_OCTAVE, FRAME_SECONDS } from './landmarks.ts'

/** Index entries pack a recording number, an anchor frame and an anchor bin into one integer. */
const REF_UNIT = 2 ** 24
const FRAME_UNIT = 128
/** Frames an entry can hold (about 35 minutes). */
export const MAX_FRAMES = REF_UNIT / FRAME_UNIT

/** One index entry: recording `ref`, anchor frame, anchor bin. */
export const entryOf = (ref: number, frame: number, bin: number): number =>
  ref * REF_UNIT + frame * FRAME_UNIT + bin
export const refOf = (entry: number): number => Math.floor(entry / REF_UNIT)

/** Aligned triplets a recording needs to count as matched (set from the false-match sweep). */
export const MIN_ALIGNED = 10
/** Time scales tried: ±7 % covers tempo and speed changes of ±5 %. */
const SCALES = Array.from({ length: 15 }, (_, i) => 0.93 + 0.01 * i)
const OFFSET_CELL = 4
const OFFSET_TOLERANCE = 6
const SHIFT_TOLERANCE = 1
/** Long queries are matched in windows of this many frames (15 s), each with its own alignment. */
const WINDOW_FRAMES = Math.round(15 / FRAME_SECONDS)

/** Where an indexed recording sounds in the query. */
export interface Match {
  ref: number
  queryStart: Seconds
  queryEnd: Seconds
  refStart: Seconds
  refEnd: Seconds
  /** Query triplets consistent with one alignment. */
  aligned: number
  /** aligned / query triplets over the matched windows, 0..1. */
  strength: number
  /** Duration in the recording / duration in the query. */
  timeScale: number
  /** Pitch of the query relative to the recording, in semitones. */
  semitones: number
}

/** Index rows found for a query: parallel arrays of hash and entry. */
export interface Hits {
  count: number
  hash: ArrayLike<number>
  entry: ArrayLike<number>
}

interface Votes {
  qi: number[]
  entry: number[]
}

function align(query: Hashes, votes: Votes, seen: Int32Array, stamp: number) {
  const n = votes.qi.length
  const tq = new Float64Array(n)
  const tr = new Float64Array(n)
  const df = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const q = votes.qi[i]!
    const e = votes.entry[i]! % REF_UNIT
    tq[i] = query.frame[q]!
    tr[i] = Math.floor(e / FRAME_UNIT)
    df[i] = query.bin[q]! - (e % FRAME_UNIT)
  }
  let best = { score: 0, scale: 1, offset: 0, shift: 0 }
  const counts = new Map<number, number>()
  const key = (o: number, d: number) => o * 512 + d + 256
  for (const scale of SCALES) {
    counts.clear()
    for (let i = 0; i < n; i++) {
      const k = key(Math.round((tr[i]! - scale * tq[i]!) / OFFSET_CELL), df[i]!)
      counts.set(k, (counts.get(k) ?? 0) + 1)
    }
    for (const k of counts.keys()) {
      let score = 0
      for (let o = -1; o <= 1; o++)
        for (let d = -SHIFT_TOLERANCE; d <= SHIFT_TOLERANCE; d++)
          score += counts.get(k + o * 512 + d) ?? 0
      if (score > best.score) {
        const o = Math.floor(k / 512)
        best = { score, scale, offset: o * OFFSET_CELL, shift: k - o * 512 - 256 }
      }
    }
  }
  if (best.score < MIN_ALIGNED) return null
  let aligned = 0
  let q0 = Infinity
  let q1 = -Infinity
  let r0 = Infinity
  let r1 = -Infinity
  let shift = 0
  for (let i = 0; i < n; i++) {
    if (Math.abs(tr[i]! - best.scale * tq[i]! - best.offset) > OFFSET_TOLERANCE) continue
    if (Math.abs(df[i]! - best.shift) > SHIFT_TOLERANCE) continue
    const t = query.triplet[votes.qi[i]!]!
    if (seen[t] === stamp) continue
    seen[t] = stamp
    aligned++
    shift += df[i]!
    q0 = Math.min(q0, tq[i]!)
    q1 = Math.max(q1, tq[i]!)
    r0 = Math.min(r0, tr[i]!)
    r1 = Math.max(r1, tr[i]!)
  }
  if (aligned < MIN_ALIGNED) return null
  return { aligned, q0, q1, r0, r1, scale: best.scale, shift: shift / aligned }
}

/** The recordings a query matches, strongest first, from the index rows its hashes found. */
export function matchHits(query: Hashes, hits: Hits): Match[] {
  const byHash = new Map<number, number[]>()
  for (let i = 0; i < query.count; i++) {
    const list = byHash.get(query.hash[i]!)
    if (list) list.push(i)
    else byHash.set(query.hash[i]!, [i])
  }
  // Votes per (recording, query window).
  const votes = new Map<number, Votes>()
  for (let h = 0; h < hits.count; h++) {
    const list = byHash.get(hits.hash[h]!)
    if (!list) continue
    const entry = hits.entry[h]!
    const ref = refOf(entry)
    for (const qi of list) {
      const id = ref * 4096 + Math.floor(query.frame[qi]! / WINDOW_FRAMES)
      let v = votes.get(id)
      if (!v) votes.set(id, (v = { qi: [], entry: [] }))
      v.qi.push(qi)
      v.entry.push(entry)
    }
  }
  const windowTriplets = new Map<number, number>()
  for (let i = 0, last = -1; i < query.count; i++) {
    if (query.triplet[i] === last) continue
    last = query.triplet[i]!
    const w = Math.floor(query.frame[i]! / WINDOW_FRAMES)
    windowTriplets.set(w, (windowTriplets.get(w) ?? 0) + 1)
  }
  const seen = new Int32Array(query.triplets).fill(-1)
  const merged = new Map<number, Match & { triplets: number }>()
  let stamp = 0
  for (const [id, v] of votes) {
    if (v.qi.length < MIN_ALIGNED) continue
    const a = align(query, v, seen, stamp++)
    if (!a) continue
    const ref = Math.floor(id / 4096)
    const triplets = windowTriplets.get(id % 4096) ?? 1
    const m = merged.get(ref)
    const found = {
      ref,
      queryStart: a.q0 * FRAME_SECONDS,
      queryEnd: (a.q1 + 1) * FRAME_SECONDS,
      refStart: a.r0 * FRAME_SECONDS,
      refEnd: (a.r1 + 1) * FRAME_SECONDS,
      aligned: a.aligned,
      triplets,
      strength: 0,
      timeScale: a.scale,
      semitones: (a.shift * 12) / BINS_PER_OCTAVE,
    }
    if (!m) merged.set(ref, found)
    else {
      m.queryStart = Math.min(m.queryStart, found.queryStart)
      m.queryEnd = Math.max(m.queryEnd, found.queryEnd)
      m.refStart = Math.min(m.refStart, found.refStart)
      m.refEnd = Math.max(m.refEnd, found.refEnd)
      if (found.aligned > m.aligned) {
        m.timeScale = found.timeScale
        m.semitones = found.semitones
      }
      m.aligned += found.aligned
      m.triplets += found.triplets
    }
  }
  return [...merged.values()]
    .map(({ triplets, ...m }) => ({ ...m, strength: Math.min(1, m.aligned / triplets) }))
    .sort((a, b) => b.aligned - a.aligned)
}

/** A secondary match weaker than this fraction of the strongest is another stem of the same song. */
const RELATIVE_FLOOR = 0.15

/** The matches worth reporting: the strongest, and others not far below it. */
export function significantMatches(matches: readonly Match[]): Match[] {
  const top = matches[0]?.aligned ?? 0
  return matches.filter((m) => m.aligned >= Math.max(MIN_ALIGNED, RELATIVE_FLOOR * top))
}
