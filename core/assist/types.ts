import { z } from 'zod'
import type { StemRole } from '../campaign/manifest.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import type { Violation } from '../licence/evaluate.ts'
import { LIMITS, type Recipe } from '../recipe/schema.ts'
import type { BPM, Decibels, NormalRange, Seconds } from '../units.ts'

/** What the fan asks the assistant for. */
export const Intent = z.enum([
  'extended',
  'radioEdit',
  'ambient',
  'strippedBack',
  'club',
  'halfTime',
])
export type Intent = z.infer<typeof Intent>

/** Plain names of the intents, for people. */
export const INTENT_NAMES: Record<Intent, string> = {
  extended: 'Extended mix',
  radioEdit: 'Radio edit',
  ambient: 'Ambient',
  strippedBack: 'Stripped back',
  club: 'Club / drop-heavy',
  halfTime: 'Half-time',
}

/** Energy over the remix, 0 (sparse) .. 1 (everything), sampled evenly from start to end. */
export type EnergyCurve = NormalRange[]

/** Named energy curves the studio offers. */
export const ENERGY_PRESETS = {
  rising: [0.2, 0.4, 0.6, 0.8, 1],
  flat: [0.6],
  wave: [0.3, 0.9, 0.35, 0.95, 0.4],
  peak: [0.2, 0.5, 1, 0.6, 0.25],
} as const satisfies Record<string, EnergyCurve>
export type EnergyPreset = keyof typeof ENERGY_PRESETS

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff

/** The parameters a fan sends, validated: an unknown intent or an out-of-range seed is a 400. */
export const AssistRequestSchema = z.object({
  intent: Intent,
  seed: z.number().int().min(0).max(MAX_SEED),
  targetSeconds: z.number().finite().min(15).max(LIMITS.length).optional(),
  energy: z.array(z.number().finite().min(0).max(1)).min(1).max(32).optional(),
  rate: z.number().finite().min(0.5).max(2).optional(), // quick mode's tempo, pitch compensated
})
export type AssistRequest = z.infer<typeof AssistRequestSchema>

/** A bar range of the full mix's analysis, [startBar, endBar), with a label that repeats (A, B, A). */
export type AssistSection = { startBar: number; endBar: number; label: string }

/** What the assistant reads of a stem: identity, length and measured levels (analysis when present). */
export type AssistStem = {
  id: string
  name: string
  role: StemRole
  isVoice: boolean
  seconds: Seconds
  analysis: {
    rmsDbfs?: Decibels
    peakDbfs?: Decibels
    loudness?: { integratedLufs: number } // EBU R128, when the analysis has run
    activity?: { startBar: number; endBar: number }[]
  }
  manifestId?: string // how the licence names it, when not by id
}

/** What the assistant reads of the campaign: the grid, key and sections (analysis when present). */
export type AssistCampaign = {
  slug: string
  tempo: BPM
  timeSignature: [number, number]
  key?: string | null
  sections?: AssistSection[]
  firstDownbeat?: Seconds // where bar 0 of the analysis starts in the stems
}

/** A request for a generated part: what T9's generator is given. */
export type GeneratePartRequest = {
  kind: 'counterMelody' | 'arpeggio' | 'bassVariation'
  key: string | null
  tempo: BPM
  timeSignature: [number, number]
  bars: { startBar: number; endBar: number } // on the proposal's own bar grid
  sourceStems: string[] // the stems the part may derive from (licence-checked)
  seed: number
}

/**
 * Attaches a generated part to a proposal's recipe (the notes and the instrument live in the
 * recipe, so the export's licence check and credits see them); null when it cannot.
 */
export type PartGenerator = (request: GeneratePartRequest, recipe: Recipe) => Recipe | null

/** Everything `propose` needs. */
export type ProposeInput = AssistRequest & {
  recipe: Recipe // the remix on screen; proposals keep its campaign and AI history
  stems: readonly AssistStem[]
  campaign: AssistCampaign
  policy: LicencePolicy
  at?: string // when the licence is checked; now by default
  generatePart?: PartGenerator
}

/** One answer of the assistant: a whole recipe, named and described, checked against the licence. */
export type Proposal = {
  id: string // `${intent}-${variant}-${seed}`
  name: string
  description: string
  intent: Intent
  seed: number
  variant: number
  provider: 'local' | 'workers-ai'
  recipe: Recipe // includes the AiAction that records this proposal
  repairs: string[] // what was changed to satisfy the licence, in words
  generatedPart: GeneratePartRequest | null
  parameters: Record<string, unknown> // what the AI action records: intent, seed, variant, …
}

/** A proposal the assistant did not offer, and why (the licence's words). */
export type Refusal = {
  name: string
  variant: number
  /** The licence's violations, or `quiet`: it would be silent where the intent wants music. */
  reasons: { code: Violation['code'] | 'quiet'; message: string }[]
}
