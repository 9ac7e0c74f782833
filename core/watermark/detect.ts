import type { Hertz, NormalRange, Seconds } from '../units.ts'
import { CODED_BITS, decodeSoft, hexFromBits } from './code.ts'
import { framesIn } from './embed.ts'
import {
  BANDS,
  BLOCK_FRAMES,
  FRAME,
  HOP,
  layoutFor,
  RATE,
  SLOTS,
  SYMBOLS,
  SYNC_SYMBOLS,
  type Layout,
} from './layout.ts'
import { resampledLength } from '../lib/dsp/resample.ts'
import { bandBank, HALF_BAND_TAPS, halveBand, resampleBand } from './band.ts'
import { Analyzer, featuresOf } from './stft.ts'
import { correlatorFor } from './sync.ts'
import { DENSE_HOP, ScaleScorer } from './scale.ts'
import { dsp, type KernelClip } from '../dsp/kernels.ts'

/** What detection found: the payload with its evidence, or nothing. */
export type WatermarkDetection =
  | {
      found: true
      payload: string
      confidence: NormalRange
      bitErrors: number
      offsetSeconds: Seconds
      /** Speed change the clip was read at (1: none; 1.03: sped up by 3 %). */
      speed: number
      /** Tempo change (time-stretch, pitch kept) the clip was read at (1: none; 1.05: 5 % faster). */
      tempo: number
    }
  | { found: false; confidence: NormalRange }

/**
 * The shortest clip verify and the export check read: one block (7.4 s) and a little slack. Shorter
 * clips still decode when little was lost (6 s and most 5 s clips of an uncompressed copy: see
 * test/bench/watermark-windows.ts), but they do not hold every slot of the block.
 */
export const MIN_DETECT_SECONDS: Seconds = 8

/** Lowest sample rate that still holds the whole watermark band (up to 6 kHz). */
export const MIN_DETECT_RATE: Hertz = 12000

/** Sync strength (a z-score, about N(0, 1) on unmarked audio) below which nothing is decoded. */
const SYNC_THRESHOLD = 5.5
/** Most coded-bit disagreements a decoded payload may show. */
const MAX_BIT_ERROR_RATE = 0.3
/**
 * Grid offsets tried, in samples at RATE: a coarse pass, then a finer one around the best. A clip
 * searched over speed and tempo that the dense analysis covers (ScaleScorer, built for that search)
 * reads its coarse offsets from it at every DENSE_HOP, without transforms of its own; a longer
 * clip, or one read at its own speed only, is transformed at three.
 */
const COARSE_OFFSETS = [0, 85, 171]
const DENSE_OFFSETS = Array.from({ length: HOP / DENSE_HOP }, (_, i) => i * DENSE_HOP)
const FINE_STEPS = [-42, -21, 21, 42]
/**
 * Below this coarse z-score the finer offsets cannot reach the threshold: they raised the best
 * coarse z of 9 s crops of marked music and vocals (MP3 at 64 and 128 kbit/s, every sample of
 * misalignment) by at most 3.2 % over the dense offsets and 6.3 % over the three transformed ones;
 * reaching the threshold from here takes 17.6 %.
 */
const FINE_SEARCH_FROM = 0.85 * SYNC_THRESHOLD
/** The grid and block search reads at most this much of a long clip before falling back to all of it. */
const SEARCH_FRAMES = 6 * BLOCK_FRAMES

/** Preallocated detection state for one clip. */
interface Search {
  /** The signal at RATE: in the DSP kernels' memory when they run (`clip`), else here. */
  signal: Float32Array | null
  clip: KernelClip | null
  length: number
  layout: Layout
  /** Samples between frames: HOP, or HOP / f to undo a tempo change by f. */
  hop: number
  analyzer: Analyzer
  raw: Float32Array
  weights: Float32Array
  features: Float32Array
  folded: Float32Array
  /** FFT sync scores at every shift, and the shifts then scored exactly. */
  coarse: Float64Array
  ranked: Uint16Array
  /**
   * On the kernels: the unweighted fold made beside each fold (of `plainAt`), and both folds of
   * the best grid offset `locate` found (offset and limit −1 until then), which the decode then
   * reads instead of folding the same frames again.
   */
  plain: Float32Array
  plainAt: { offset: number; limit: number }
  kept: { offset: number; limit: number; weighted: Float32Array; plain: Float32Array }
}

interface Candidate {
  offset: number
  shift: number
  z: number
}

/**
 * Folds up to `limit` frames of the clip's features at grid `offset` onto block rows, each
 * weighted by its band's reliability unless `weighted` is false.
 */
function fold(search: Search, offset: number, limit: number, weighted = true): void {
  const { signal, clip, analyzer, raw, weights, features, folded, hop } = search
  const frames = Math.min(limit, framesAt(search.length - offset, hop))
  const { kept, plainAt } = search
  if (clip && kept.offset === offset && kept.limit === limit)
    return folded.set(weighted ? kept.weighted : kept.plain)
  if (clip && !weighted && plainAt.offset === offset && plainAt.limit === limit)
    return folded.set(search.plain)
  if (clip) {
    Object.assign(plainAt, { offset, limit })
    return dsp()!.clipFold(clip, offset, frames, hop, weighted, folded, search.plain)
  }
  folded.fill(0, 0, SLOTS)
  featuresOf(analyzer, signal!, offset, frames, raw, weighted ? weights : null, features, hop)
  for (let j = 0, row = 0; j < frames; j++) {
    const at = j * BANDS
    for (let b = 0; b < BANDS; b++) folded[row + b]! += features[at + b]!
    row += BANDS
    if (row === SLOTS) row = 0
  }
}

/** Shifts scored exactly after the FFT pass ranks all of them (see bestShift). */
const EXACT_SHIFTS = 32

/**
 * The block shift whose sync agrees best with the folded features. Two z-scores, each about
 * N(0, 1) on unmarked audio: over slots (strong when many blocks add up) and over sync symbols
 * (strong when informed embedding has cancelled the host within each block); the larger counts.
 * The first is computed at every shift at once by FFT (SyncCorrelator); both are then computed
 * exactly at the `ranked.length` shifts it ranks highest (EXACT_SHIFTS when detecting, fewer
 * when ranking changes; by the numerator alone when `normalized` is false) — a marked clip's
 * true shift, whose numerator carries the whole sync, ranks near the top of 640 even when the
 * second score is the one that reaches the threshold. `exhaustive` scores every shift exactly (the reference).
 */
function bestShift(
  search: Search,
  exhaustive = false,
  normalized = true,
): { shift: number; z: number } {
  const { coarse, ranked } = search
  const kernels = exhaustive ? null : dsp()
  if (kernels)
    return kernels.bestShift(correlatorFor(search.layout), search.folded, normalized, ranked.length)
  // Two copies back to back, so a shifted slot index never needs wrapping.
  search.folded.copyWithin(SLOTS, 0, SLOTS)
  let best = { shift: 0, z: -Infinity }
  if (exhaustive) {
    for (let shift = 0; shift < BLOCK_FRAMES; shift++) {
      const z = syncAt(search, shift)
      if (z > best.z) best = { shift, z }
    }
    return best
  }
  correlatorFor(search.layout).scores(search.folded, coarse, normalized)
  topShifts(coarse, ranked)
  for (const shift of ranked) {
    const z = syncAt(search, shift)
    if (z > best.z || (z === best.z && shift < best.shift)) best = { shift, z }
  }
  return best
}

/** The indices of the ranked.length largest scores into `ranked` (any order), without sorting all. */
function topShifts(scores: Float64Array, ranked: Uint16Array): void {
  const k = ranked.length
  let filled = 0
  let lowest = 0 // position in `ranked` of its smallest score once full
  for (let shift = 0; shift < scores.length; shift++) {
    const score = scores[shift]!
    if (filled < k) {
      ranked[filled++] = shift
      if (filled === k) lowest = lowestOf(scores, ranked)
    } else if (score > scores[ranked[lowest]!]!) {
      ranked[lowest] = shift
      lowest = lowestOf(scores, ranked)
    }
  }
}

function lowestOf(scores: Float64Array, ranked: Uint16Array): number {
  let at = 0
  for (let i = 1; i < ranked.length; i++) if (scores[ranked[i]!]! < scores[ranked[at]!]!) at = i
  return at
}

/**
 * The sync z-score of the folded features (copied twice) at one block shift. Each symbol's sum is
 * accumulated in a register over its slots (grouped by symbol and sign, see Layout), which keeps
 * this inner loop free of scattered stores: it runs for every shift of every factor searched.
 */
function syncAt(search: Search, shift: number): number {
  const { folded, layout } = search
  const { syncSlots, syncStarts } = layout
  // Block position p holds fold row (p − shift) mod BLOCK_FRAMES.
  const move = shift === 0 ? 0 : (BLOCK_FRAMES - shift) * BANDS
  let energy = 0
  let total = 0
  let squares = 0
  for (let s = 0, i = 0; s < SYNC_SYMBOLS; s++) {
    let negative = 0
    for (const end = syncStarts[2 * s + 1]!; i < end; i++) {
      const v = folded[syncSlots[i]! + move]!
      negative += v
      energy += v * v
    }
    let positive = 0
    for (const end = syncStarts[2 * s + 2]!; i < end; i++) {
      const v = folded[syncSlots[i]! + move]!
      positive += v
      energy += v * v
    }
    const sum = positive - negative
    total += sum
    squares += sum * sum
  }
  return energy > 0 ? Math.max(total / Math.sqrt(energy), total / Math.sqrt(squares)) : 0
}

/** Soft values of the coded bits at a shift: the signed sums of each symbol's slots. */
function softBits(search: Search, shift: number): Float64Array {
  const { folded, layout } = search
  const soft = new Float64Array(SYMBOLS)
  const move = ((BLOCK_FRAMES - shift) % BLOCK_FRAMES) * BANDS
  for (let slot = 0; slot < SLOTS; slot++) {
    let at = slot + move
    if (at >= SLOTS) at -= SLOTS
    soft[layout.symbol[slot]!]! += layout.sign[slot]! * folded[at]!
  }
  return soft.subarray(SYNC_SYMBOLS)
}

/**
 * The best grid offset and block shift over up to `limit` frames: every shift at a few coarse
 * offsets, then finer offsets at the best shift only (a small misalignment costs little).
 */
function locate(search: Search, limit: number, dense: ScaleScorer | null): Candidate {
  let best: Candidate = { offset: 0, shift: 0, z: -Infinity }
  for (const offset of dense ? DENSE_OFFSETS : COARSE_OFFSETS) {
    if (dense) dense.fold(1, 1, search.features, search.folded, limit, offset / DENSE_HOP)
    else fold(search, offset, limit)
    const found = bestShift(search)
    if (found.z > best.z) best = { offset, ...found }
    if (best.offset === offset && !dense) keep(search, offset, limit)
  }
  const coarse = best
  if (coarse.z < FINE_SEARCH_FROM) return coarse
  for (const step of FINE_STEPS) {
    let offset = coarse.offset + step
    let shift = coarse.shift
    // Moving the grid by a whole hop renumbers the frames by one.
    const { hop } = search
    if (offset < 0) [offset, shift] = [offset + hop, (shift + 1) % BLOCK_FRAMES]
    if (offset >= hop) [offset, shift] = [offset - hop, (shift + BLOCK_FRAMES - 1) % BLOCK_FRAMES]
    fold(search, offset, limit)
    search.folded.copyWithin(SLOTS, 0, SLOTS)
    const z = syncAt(search, shift)
    if (z > best.z) best = { offset, shift, z }
    if (best.offset === offset) keep(search, offset, limit)
  }
  return best
}

/** Keeps the folds just made at `offset` over `limit` frames for the decode (kernels only). */
function keep(search: Search, offset: number, limit: number): void {
  const { kept } = search
  if (!search.clip || (kept.offset === offset && kept.limit === limit)) return
  kept.weighted.set(search.folded.subarray(0, SLOTS))
  kept.plain.set(search.plain)
  Object.assign(kept, { offset, limit })
}

function monoAtRate(channels: readonly Float32Array[], sampleRate: Hertz): Float32Array {
  const kernels = dsp()
  if (kernels && sampleRate === 2 * RATE) return kernels.monoHalved(channels, HALF_BAND_TAPS)
  const length = channels[0]!.length
  const mix = new Float32Array(length)
  for (const c of channels) for (let i = 0; i < length; i++) mix[i]! += c[i]! / channels.length
  if (sampleRate === RATE) return mix
  if (sampleRate === 2 * RATE) return halveBand(mix, new Float32Array(Math.ceil(length / 2)))
  return resampleBand(
    mix,
    sampleRate,
    RATE,
    new Float32Array(resampledLength(length, sampleRate, RATE)),
  )
}

const confidenceFrom = (z: number): NormalRange => Math.min(1, Math.max(0, (z - 3) / 6))

/**
 * Speed factors tried when the clip does not read at its own speed: a clip played f× faster
 * (resampled, pitch and tempo together) is stretched back by f before the search. The grid step
 * is what one block of scoring tolerates (a 0.15 % error drifts the grid ~1 frame over it).
 */
const MAX_SPEED_CHANGE = 0.05
const SPEED_STEP = 0.003
/** Factors each side of 1 (speed and tempo alike). */
const FACTOR_STEPS = Math.round(MAX_SPEED_CHANGE / SPEED_STEP)
/** Frames each coarse speed factor is scored on (one block, 7.4 s). */
const SCORE_FRAMES = BLOCK_FRAMES
/** Slack beyond MAX_SPEED_CHANGE the scorer covers (the grid's last factor lies a little past it). */
const SCORE_MARGIN = 0.01
/**
 * Coarse candidate score below which a factor is not refined. The best of the 68 candidates × 640
 * shifts of an unmarked 9 s clip reached 4.125 (0.75 × the threshold) in 57 % of 120 generated clips,
 * 4.675 in 5 %; the true factor of a marked clip scored 7.4–11.5 (9 s crops at tempo ±5 %, MP3 at
 * 64 kbit/s after speed +4 %), so refining from here costs marked clips nothing measurable.
 */
const CANDIDATE_FROM = 0.85 * SYNC_THRESHOLD
const REFINE_STEP = 0.0005
const SPEED_REFINE = [-3, -2, -1, 0, 1, 2, 3].map((i) => i * REFINE_STEP)

/** Confidence at and above which the sync was located (z ≥ SYNC_THRESHOLD). */
const SYNCED = confidenceFrom(SYNC_THRESHOLD)
/** Factors around the best refined one read when it locates the sync but not the payload. */
const NEIGHBOURS = [1, -1, 2, -2, 3, -3].map((i) => i * REFINE_STEP)

/**
 * The refinement steps searched in full, given the cheap score at each of SPEED_REFINE: the peak
 * of the parabola through the best step and its neighbours (a factor 0.05 % off still drifts the
 * grid 4 frames over a 90 s clip), then the best step itself.
 */
function refinedSteps(scores: readonly number[]): number[] {
  let at = 0
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[at]!) at = i
  const step = SPEED_REFINE[at]!
  if (at === 0 || at === scores.length - 1) return [step]
  const [before, here, after] = [scores[at - 1]!, scores[at]!, scores[at + 1]!]
  const curve = before - 2 * here + after
  if (!(curve < 0)) return [step]
  const peak = step + (REFINE_STEP * (before - after)) / (2 * curve)
  return Math.abs(peak - step) < REFINE_STEP / 10 ? [step] : [peak, step]
}

/** Frames of a grid with `hop` samples between frames that fit wholly in `length` samples. */
function framesAt(length: number, hop: number): number {
  return hop === HOP
    ? framesIn(length)
    : length < FRAME
      ? 0
      : Math.floor((length - FRAME) / hop) + 1
}

/**
 * Preallocated search state for one signal at RATE (in the kernels' memory when `signal` is a
 * KernelClip), read with `hop` samples between frames.
 */
function searchFor(signal: Float32Array | KernelClip, layout: Layout, hop: number = HOP): Search {
  const clip = signal instanceof Float32Array ? null : signal
  const frames = framesAt(signal.length, hop)
  const scratch = clip ? 0 : frames * BANDS
  return {
    signal: clip ? null : (signal as Float32Array),
    clip,
    length: signal.length,
    layout,
    hop,
    analyzer: new Analyzer(),
    raw: new Float32Array(scratch),
    weights: new Float32Array(scratch),
    features: new Float32Array(frames * BANDS),
    folded: new Float32Array(2 * SLOTS),
    coarse: new Float64Array(BLOCK_FRAMES),
    ranked: new Uint16Array(EXACT_SHIFTS),
    plain: new Float32Array(clip ? SLOTS : 0),
    plainAt: { offset: -1, limit: -1 },
    kept: {
      offset: -1,
      limit: -1,
      weighted: new Float32Array(clip ? SLOTS : 0),
      plain: new Float32Array(clip ? SLOTS : 0),
    },
  }
}

/** The signal as it was before a speed change by `factor` (> 1: the clip was sped up). */
function unspeed(signal: Float32Array, factor: number): Float32Array {
  const from = Math.round(RATE / factor)
  return resampleBand(
    signal,
    from,
    RATE,
    new Float32Array(resampledLength(signal.length, from, RATE)),
  )
}

/**
 * A change the search undoes: `speed` by resampling the clip back (pitch and tempo moved
 * together), `tempo` by spreading the analysis frames (a time-stretch keeps every frequency where
 * it was and moves only the frames: analysing with hop HOP / tempo reads the frames the mark was
 * embedded in, as a phase vocoder's synthesis hop maps its analysis frames).
 */
interface Change {
  speed: number
  tempo: number
}
const UNCHANGED: Change = { speed: 1, tempo: 1 }
const KINDS = ['speed', 'tempo'] as const
const changeOf = (kind: (typeof KINDS)[number], factor: number): Change => ({
  ...UNCHANGED,
  [kind]: factor,
})

/** A clip's signal at RATE, and the same in the DSP kernels' memory when they run. */
interface Source {
  signal: Float32Array
  clip: KernelClip | null
}

/**
 * The search state for `source` read under a change; on the kernels, the clip resampled there
 * and room for its features, allocated until the caller releases them.
 */
function searchUnder(source: Source, layout: Layout, change: Change): Search {
  const { signal, clip } = source
  const hop = HOP / change.tempo
  const kernels = clip ? dsp() : null
  if (!kernels || !clip) {
    const input = change.speed === 1 ? signal : unspeed(signal, change.speed)
    return searchFor(input, layout, hop)
  }
  const from = Math.round(RATE / change.speed)
  const bank = bandBank(from, RATE)
  // A factor so near 1 that its rate rounds to RATE reads the clip as it is (unspeed copies it).
  if (!bank)
    return searchFor(
      change.tempo === 1 ? clip : kernels.clip(clip, framesAt(clip.length, hop)),
      layout,
      hop,
    )
  const length = resampledLength(signal.length, from, RATE)
  return searchFor(
    kernels.resampledClip(clip, from, RATE, bank, length, framesAt(length, hop)),
    layout,
    hop,
  )
}

/**
 * Sync strength under one change, cheaply: the features of the scorer's frames on one grid
 * offset, read from its dense analysis (ScaleScorer), folded and ranked as detection does.
 */
function changeScore(scoring: Scoring, change: Change, limit: number): number {
  const { scorer, search } = scoring
  scorer.fold(change.speed, change.tempo, search.features, search.folded, limit)
  // Ranked by the numerator alone: the exact scores of the best shifts carry the normalization.
  return bestShift(search, false, false).z
}

/**
 * Shifts scored exactly when ranking changes (EXACT_SHIFTS when detecting): the ranking only picks
 * which changes are searched, and a marked clip's true shift tops the numerator ranking at its
 * true change.
 */
const RANKED_SHIFTS = 8

/** A dense analysis of a clip's first `frames` frames and the state to score changes with. */
interface Scoring {
  scorer: ScaleScorer
  search: Search
  /** Most frames a change can be scored on. */
  frames: number
}

/** The scoring state for changes of `signal` (at RATE) over its first `frames` frames. */
function scoring(signal: Float32Array, layout: Layout, frames: number): Scoring {
  // Only the frames scored are read: up to `frames` at the slowest change, and a frame.
  const reach = Math.ceil((frames * HOP + FRAME) / (1 - MAX_SPEED_CHANGE - SCORE_MARGIN))
  const scorer = new ScaleScorer(signal.subarray(0, reach), MAX_SPEED_CHANGE + SCORE_MARGIN, frames)
  const search = {
    ...searchFor(new Float32Array(0), layout),
    features: new Float32Array(frames * BANDS),
    ranked: new Uint16Array(RANKED_SHIFTS),
  }
  return { scorer, search, frames }
}

/** The payload bits read at a located sync, if the CRC holds and few coded bits disagree. */
function readAt(
  search: Search,
  best: Candidate,
  weighted: boolean,
  limit: number,
): { payload: Uint8Array; bitErrors: number } | null {
  fold(search, best.offset, limit, weighted)
  const { payload, bitErrors } = decodeSoft(softBits(search, best.shift))
  return payload && bitErrors <= MAX_BIT_ERROR_RATE * CODED_BITS ? { payload, bitErrors } : null
}

/**
 * Decodes the payload at a located sync, or null. The reliability weights help after lossy coding
 * and cost a little where nothing was lost (the host is then the only noise, and it is cancelled
 * unweighted), so a clip whose weighted read fails is read once more unweighted. The whole clip is
 * read first (more blocks outvote more noise); if that fails, only the `located` frames the sync
 * was found in: a speed or tempo factor a little off drifts the grid further over a long clip
 * than over the part searched.
 */
function decodeAt(
  search: Search,
  best: Candidate,
  change: Change,
  located: number,
): Extract<WatermarkDetection, { found: true }> | null {
  const all = framesAt(search.length, search.hop)
  const read =
    readAt(search, best, true, all) ??
    readAt(search, best, false, all) ??
    (located < all ? readAt(search, best, true, located) : null)
  if (!read) return null
  const { payload, bitErrors } = read
  const firstBlock = (BLOCK_FRAMES - best.shift) % BLOCK_FRAMES
  return {
    found: true,
    payload: hexFromBits(payload),
    confidence: confidenceFrom(best.z),
    bitErrors,
    offsetSeconds: (best.offset + firstBlock * search.hop) / RATE / change.speed,
    speed: change.speed,
    tempo: change.tempo,
  }
}

/**
 * Locates and decodes the mark in `signal` (at RATE) read under `change`, its coarse offsets from
 * `dense` when given (a dense analysis of the whole clip, for the clip as it is).
 */
function detectIn(
  source: Source,
  layout: Layout,
  change: Change,
  dense: ScaleScorer | null = null,
): WatermarkDetection {
  const kernels = source.clip ? dsp() : null
  const mark = kernels?.mark() ?? 0
  try {
    return detectUnder(searchUnder(source, layout, change), change, dense)
  } finally {
    kernels?.release(mark) // what searchUnder allocated there
  }
}

function detectUnder(
  search: Search,
  change: Change,
  dense: ScaleScorer | null,
): WatermarkDetection {
  const frames = framesAt(search.length, search.hop)
  if (frames < 2) return { found: false, confidence: 0 }
  let located = Math.min(frames, SEARCH_FRAMES)
  let best = locate(search, located, dense)
  if (best.z < SYNC_THRESHOLD && frames > located) best = locate(search, (located = frames), null)
  if (best.z < SYNC_THRESHOLD) return { found: false, confidence: confidenceFrom(best.z) }
  return (
    decodeAt(search, best, change, located) ?? { found: false, confidence: confidenceFrom(best.z) }
  )
}

/**
 * Looks for a watermark made with `key` in planar PCM, without the original. Searches the STFT
 * grid offset (coarse, then fine) and the block boundary by sync correlation over the clip (its
 * blocks folded together), then decodes the payload by soft Viterbi and checks its CRC. A clip
 * that does not read at its own speed is searched over speed changes of up to ±5 % (resampling:
 * pitch and tempo together): exhaustive search over a grid of candidate factors, each scored by
 * sync strength, then refined around the best — the search-over-scale approach of
 * audiowmark's speed detection (described in its documentation), applied to this mark's sync.
 * `speedSearch: false` reads the clip at its own speed only (for audio known to be unaltered).
 */
export function detectWatermark(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  key: string,
  options: { speedSearch?: boolean } = {},
): WatermarkDetection {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_DETECT_RATE)
    throw new RangeError(`detectWatermark needs a sample rate of at least ${MIN_DETECT_RATE} Hz`)
  if (channels.length === 0 || !key) return { found: false, confidence: 0 }
  dsp()?.reset() // the kernels' buffers of the last clip
  const signal = monoAtRate(channels, sampleRate)
  const layout = layoutFor(key)
  const frames = framesIn(signal.length)
  if (frames < 2) return { found: false, confidence: 0 }
  // One dense analysis serves the read at the clip's own speed and both passes of the search
  // unless the clip is long (then only the search's first pass, over the clip's start).
  const searched = Math.min(frames, SEARCH_FRAMES)
  const short = searched <= 2 * SCORE_FRAMES
  const whole = short && options.speedSearch !== false ? scoring(signal, layout, searched) : null
  const kernels = dsp()
  const source = { signal, clip: kernels ? kernels.clip(signal, frames) : null }
  const plain = detectIn(source, layout, UNCHANGED, whole?.scorer)
  if (plain.found || options.speedSearch === false) return plain
  const coarse = whole ?? scoring(signal, layout, SCORE_FRAMES)
  const best = KINDS.map((kind) => ({ kind, factor: 1, z: -Infinity }))
  for (let i = -FACTOR_STEPS; i <= FACTOR_STEPS; i++) {
    if (i === 0) continue
    const factor = 1 + i * SPEED_STEP
    for (const candidate of best) {
      const z = changeScore(coarse, changeOf(candidate.kind, factor), SCORE_FRAMES)
      if (z > candidate.z) Object.assign(candidate, { factor, z })
    }
  }
  let result: WatermarkDetection = plain
  let fine: Scoring | null = null
  for (const { kind, factor, z } of best.sort((x, y) => y.z - x.z)) {
    if (z < CANDIDATE_FROM) break
    // The refined factors are ranked by the same cheap score over as many frames as the search
    // reads (a factor 0.1 % off drifts a frame every 10 s); only the best few are searched.
    fine ??= coarse.frames >= searched ? coarse : scoring(signal, layout, searched)
    const scores = SPEED_REFINE.map((step) =>
      changeScore(fine!, changeOf(kind, factor + step), searched),
    )
    const steps = refinedSteps(scores)
    let synced = false
    for (const step of steps) {
      const found = detectIn(source, layout, changeOf(kind, factor + step))
      if (found.found) return found
      synced ||= found.confidence >= SYNCED
      if (found.confidence > result.confidence) result = found
    }
    if (!synced) continue
    // The sync was located but the payload not read: the cheap score ranks factors to within
    // about ±0.15 %, and 0.1 % off costs a 6 s clip after lossy coding its read, so the exact
    // search reads the neighbours of the best refined factor, nearest first.
    for (const offset of NEIGHBOURS) {
      const found = detectIn(source, layout, changeOf(kind, factor + steps[0]! + offset))
      if (found.found) return found
      if (found.confidence > result.confidence) result = found
    }
  }
  return result
}

/**
 * The best block shift and its sync z-score of `signal` (at RATE) on grid offset 0, found with the
 * FFT ranking or (`exhaustive`) by scoring every shift exactly, its features folded on the DSP
 * kernels when they run: for the tests that these agree.
 */
export function syncShiftOf(
  signal: Float32Array,
  key: string,
  exhaustive: boolean,
): { shift: number; z: number } {
  const kernels = dsp()
  kernels?.reset()
  const frames = framesIn(signal.length)
  const search = searchFor(kernels ? kernels.clip(signal, frames) : signal, layoutFor(key))
  fold(search, 0, frames)
  return bestShift(search, exhaustive)
}
