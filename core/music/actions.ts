import type { AiAction } from '../recipe/schema.ts'
import type { PartKind } from './part.ts'

/** The transcription model: Spotify's basic-pitch, run locally on TensorFlow.js. */
export const BASIC_PITCH = { tool: '@spotify/basic-pitch', version: '1.0.1' } as const

/** The generator's name in AI actions; its version moves when the same seed would write other notes. */
export const PART_GENERATOR = { tool: 'stemfair/generate-part', version: '1' } as const

/** The AI action recording one transcription of a stem. */
export function transcriptionActionFrom(input: {
  id: string
  stem: string
  at: string
  backend: string
  thresholds: Record<string, number>
  notes: number
  key: string
}): AiAction {
  const { id, at, ...parameters } = input
  return { id, ...BASIC_PITCH, provider: 'local', parameters, appliedAt: at }
}

/** The AI action recording one generated part: what it derives from, its kind and its seed. */
export function generationActionFrom(input: {
  id: string
  at: string
  kind: PartKind
  seed: number
  sourceStems: string[]
  key: string
  chords: string[]
  bars: number
  transcription?: string // id of the transcription action the notes came from
}): AiAction {
  const { id, at, ...parameters } = input
  return { id, ...PART_GENERATOR, provider: 'local', parameters, appliedAt: at }
}
