// Signals and recipes for the renderer's unit tests.
import { RecipeSchema, type Recipe } from '../../recipe/schema.ts'
import { BufferSource, renderAll, type StemSource } from '../index.ts'

export const RATE = 44_100

export const sineOf = (hz: number, amplitude: number, frames: number, rate = RATE) =>
  Float32Array.from(
    { length: frames },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  )

type TrackInput = { id: string; stem: string } & Record<string, unknown>

/** A valid recipe (schema defaults applied) from a few fields; the limiter is off unless given. */
export function recipeOf(input: {
  tracks: TrackInput[]
  length?: number
  tempo?: number
  master?: Record<string, unknown>
  generatedParts?: unknown[]
  aiActions?: unknown[]
}): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'test',
    tempo: input.tempo ?? 120,
    timeSignature: [4, 4],
    length: input.length ?? 1,
    tracks: input.tracks,
    master: input.master ?? { limiter: { enabled: false } },
    generatedParts: input.generatedParts,
    aiActions: input.aiActions,
  })
}

/** A source that records every read (start and length). */
export class RecordingSource extends BufferSource {
  readonly reads: { start: number; length: number }[] = []
  override read(start: number, out: Float32Array[]): void {
    this.reads.push({ start, length: out[0]!.length })
    super.read(start, out)
  }
}

export const mono = (data: Float32Array): StemSource => new BufferSource([data])

export function render(
  recipe: Recipe,
  stems: Record<string, StemSource>,
  blockFrames = 4096,
  sampleRate = RATE,
) {
  return renderAll(recipe, new Map(Object.entries(stems)), { sampleRate, blockFrames })
}

export function rms(a: Float32Array, from = 0, to = a.length): number {
  let s = 0
  for (let i = from; i < to; i++) s += a[i]! * a[i]!
  return Math.sqrt(s / Math.max(1, to - from))
}

/** Amplitude of one frequency over a span (least squares against sin and cos). */
export function amplitudeAt(a: Float32Array, hz: number, from: number, to: number, rate = RATE) {
  let s = 0
  let c = 0
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * hz * i) / rate
    s += a[i]! * Math.sin(w)
    c += a[i]! * Math.cos(w)
  }
  return (2 * Math.hypot(s, c)) / (to - from)
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return m
}
