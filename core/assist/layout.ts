import type { Flavour, SegmentKind } from './intents.ts'
import type { Random } from '../lib/random.ts'
import type { AssistSection } from './types.ts'

/** A run of source bars played in order: `bars` bars from source bar `srcBar`. */
export type Piece = { srcBar: number; bars: number }

/** One stretch of the output on the bar grid and what it plays from the source. */
export type Block = {
  kind: SegmentKind
  outBar: number
  bars: number
  energy: number
  pieces: Piece[] // body and drops: runs of the song; fixed segments: one phrase
  loopBars: number // > 0: the phrase is `loopBars` long and loops to fill the block
}

/** The song's sections clipped to the bars every chosen stem has; 8-bar phrases without analysis. */
export function sectionsFrom(sections: readonly AssistSection[] | undefined, sourceBars: number) {
  const clipped = (sections ?? [])
    .map((s) => ({ ...s, endBar: Math.min(s.endBar, sourceBars) }))
    .filter((s) => s.startBar >= 0 && s.endBar > s.startBar)
    .sort((a, b) => a.startBar - b.startBar)
  if (clipped.length > 0) return clipped
  const phrases: AssistSection[] = []
  for (let b = 0; b < sourceBars; b += 8)
    phrases.push({ startBar: b, endBar: Math.min(sourceBars, b + 8), label: `P${b / 8}` })
  return phrases
}

/** The section a flavour's body starts on: the top, the first repeat of the hook, or a seeded one. */
export function startSection(flavour: Flavour, sections: readonly AssistSection[], rng: Random) {
  if (flavour.start === 'seeded' && sections.length > 1) return rng.int(0, sections.length - 1)
  if (flavour.start !== 'hook') return 0
  const counts = new Map<string, number>()
  for (const s of sections) counts.set(s.label, (counts.get(s.label) ?? 0) + 1)
  const hook = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
  const at = sections.findIndex((s, i) => i > 0 && s.label === hook)
  return at < 0 ? Math.min(1, sections.length - 1) : at
}

/** `count` source bars for the body: sections from `start`, repeats trimmed when asked, cycling. */
export function bodyBars(
  sections: readonly AssistSection[],
  start: number,
  count: number,
  trimRepeats: boolean,
  rng: Random,
): number[] {
  let order = [...sections.slice(start), ...sections.slice(0, start)]
  const total = () => order.reduce((n, s) => n + s.endBar - s.startBar, 0)
  if (trimRepeats) {
    const seen = new Set<string>()
    const repeats = order.flatMap((s, i) => (seen.has(s.label) ? [i] : (seen.add(s.label), [])))
    while (total() > count && repeats.length > 0) {
      const drop = repeats.splice(rng.int(0, repeats.length - 1), 1)[0]!
      order = order.map((s, i) => (i === drop ? { ...s, endBar: s.startBar } : s))
    }
    order = order.filter((s) => s.endBar > s.startBar)
  }
  const bars: number[] = []
  for (let i = 0; bars.length < count && order.length > 0; i = (i + 1) % order.length)
    for (let b = order[i]!.startBar; b < order[i]!.endBar && bars.length < count; b++) bars.push(b)
  return bars
}

/** Source bars cut where a section starts or the bars jump. */
export function chunksFrom(bars: readonly number[], starts: ReadonlySet<number>): number[][] {
  const chunks: number[][] = []
  bars.forEach((b, i) => {
    if (i === 0 || starts.has(b) || bars[i - 1]! + 1 !== b) chunks.push([b])
    else chunks[chunks.length - 1]!.push(b)
  })
  return chunks
}

/** Runs of consecutive source bars. */
export function piecesFrom(bars: readonly number[]): Piece[] {
  const pieces: Piece[] = []
  for (const b of bars) {
    const last = pieces[pieces.length - 1]
    if (last && last.srcBar + last.bars === b) last.bars++
    else pieces.push({ srcBar: b, bars: 1 })
  }
  return pieces
}

/** Lays a flavour's segments over `outBars` bars: fixed segments shrink when the body needs room. */
export function layoutBlocks(
  flavour: Flavour,
  outBars: number,
  sections: readonly AssistSection[],
  sourceBars: number,
  rng: Random,
): Block[] {
  const bodies = flavour.segments.filter((s) => 'share' in s)
  const fixed = flavour.segments.flatMap((s) => ('bars' in s ? [s.bars] : []))
  const fixedTotal = fixed.reduce((a, b) => a + b, 0)
  const room = Math.max(0, outBars - bodies.length)
  const scale = fixedTotal > room * 0.6 ? (room * 0.6) / fixedTotal : 1
  const fixedBars = fixed.map((b) => Math.floor(b * scale))
  const bodyTotal = outBars - fixedBars.reduce((a, b) => a + b, 0)
  const shares = bodies.reduce((n, s) => n + ('share' in s ? s.share : 0), 0)
  const bodySizes = bodies.map((s) =>
    Math.floor((bodyTotal * ('share' in s ? s.share : 0)) / shares),
  )
  bodySizes[bodySizes.length - 1]! += bodyTotal - bodySizes.reduce((a, b) => a + b, 0)
  const material = bodyBars(
    sections,
    startSection(flavour, sections, rng),
    bodyTotal,
    flavour.trimRepeats,
    rng,
  )
  const phrase = sections[rng.int(0, sections.length - 1)]!.startBar
  const starts = new Set(sections.map((x) => x.startBar))
  const blocks: Block[] = []
  let outBar = 0
  let fixedIndex = 0
  let bodyIndex = 0
  let used = 0
  for (const s of flavour.segments) {
    let bars: number
    let pieces: Piece[]
    let loopBars = 0
    if ('share' in s) {
      // A block per section, so the energy curve and the arrangement change where the song does.
      const size = bodySizes[bodyIndex++]!
      for (const chunk of chunksFrom(material.slice(used, used + size), starts)) {
        blocks.push({
          kind: s.kind,
          outBar,
          bars: chunk.length,
          energy: s.energy,
          pieces: piecesFrom(chunk),
          loopBars: 0,
        })
        outBar += chunk.length
      }
      used += size
      continue
    } else {
      bars = fixedBars[fixedIndex++]!
      const fits = phrase + bars <= sourceBars
      loopBars = fits ? 0 : ([4, 2, 1].find((n) => bars % n === 0 && phrase + n <= sourceBars) ?? 1)
      const srcBar = Math.min(phrase, sourceBars - (fits ? bars : loopBars))
      pieces = [{ srcBar: Math.max(0, srcBar), bars: fits ? bars : loopBars }]
    }
    if (bars <= 0) continue
    blocks.push({ kind: s.kind, outBar, bars, energy: s.energy, pieces, loopBars })
    outBar += bars
  }
  return blocks
}

/** The fan's energy curve at `x` in 0..1, linear between its points. */
export function curveAt(curve: readonly number[], x: number): number {
  if (curve.length === 1) return curve[0]!
  const at = Math.min(1, Math.max(0, x)) * (curve.length - 1)
  const i = Math.min(curve.length - 2, Math.floor(at))
  return curve[i]! + (curve[i + 1]! - curve[i]!) * (at - i)
}
