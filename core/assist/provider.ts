import { describeLicence } from '../licence/describe.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import { secondsPerBar } from '../recipe/grid.ts'
import type { AiAction, Recipe } from '../recipe/schema.ts'
import { ASSIST_TOOL, ASSIST_VERSION, propose } from './propose.ts'
import {
  applyPatch,
  patchFromModelOutput,
  type PatchFailure,
  type RecipePatch,
} from './text-patch.ts'
import type { AssistCampaign, AssistStem, Proposal, ProposeInput } from './types.ts'

/** Who produced a proposal or patch; the UI always names it. */
export type ProviderId = 'local' | 'workers-ai'

/** What a provider can do, so the UI offers only that. */
export type ProviderCapabilities = { propose: boolean; freeText: boolean }

/** A free-text request against the remix on screen. */
export type TextRequest = {
  text: string
  recipe: Recipe
  stems: readonly AssistStem[]
  campaign: AssistCampaign
  policy: LicencePolicy
  at: string
}

/** A patched recipe with its AI action already recorded, or why nothing changed. */
export type TextOutcome =
  | {
      ok: true
      recipe: Recipe
      patch: RecipePatch
      action: AiAction
      provider: ProviderId
      model: string
    }
  | PatchFailure

/** One interface over the assistant's engines. */
export interface AssistProvider {
  id: ProviderId
  capabilities: ProviderCapabilities
  propose(input: ProposeInput): Promise<Proposal[]>
  patchFromText?(request: TextRequest): Promise<TextOutcome>
}

/** The default provider: the seeded arranger in this folder, offline. */
export const localProvider: AssistProvider = {
  id: 'local',
  capabilities: { propose: true, freeText: false },
  propose: (input) => Promise.resolve(propose(input)),
}

/** Runs an instruction model: the worker passes `(model, input) => env.AI.run(model, input)`. */
export type ModelRunner = (model: string, input: ModelInput) => Promise<unknown>
export type ModelInput = {
  messages: { role: 'system' | 'user'; content: string }[]
  max_tokens: number
  temperature: number
}

/** The instruction model the free-text request goes to. */
export const TEXT_MODEL = '@cf/meta/llama-3.1-8b-instruct-fp8'

const FREE_TEXT_MAX = 500

/**
 * The Workers AI provider: arrangements come from the local arranger; free text is turned into a
 * structured patch by an instruction model, then validated before anything is applied.
 */
export function workersAiProvider(run: ModelRunner, model = TEXT_MODEL): AssistProvider {
  return {
    id: 'workers-ai',
    capabilities: { propose: true, freeText: true },
    propose: (input) => Promise.resolve(propose(input)),
    async patchFromText(request) {
      const text = request.text.trim()
      if (text.length === 0 || text.length > FREE_TEXT_MAX)
        return {
          ok: false,
          code: 'patch_invalid',
          message: `Write the request in 1 to ${FREE_TEXT_MAX} characters.`,
          issues: [{ path: ['text'], message: 'length' }],
        }
      const output = await run(model, {
        messages: promptFor({ ...request, text }),
        max_tokens: 600,
        temperature: 0,
      })
      const parsed = patchFromModelOutput(output)
      if (!parsed.ok) return parsed
      const applied = applyPatch(request.recipe, parsed.patch, {
        stems: request.stems,
        policy: request.policy,
        slug: request.campaign.slug,
        at: request.at,
      })
      if (!applied.ok) return applied
      const action: AiAction = {
        id: `ai-${request.recipe.aiActions.length}-text`,
        tool: ASSIST_TOOL,
        version: ASSIST_VERSION,
        provider: 'workers-ai',
        parameters: {
          model,
          text,
          summary: parsed.patch.summary,
          operations: parsed.patch.operations,
        },
        appliedAt: request.at,
      }
      const recipe = {
        ...applied.recipe,
        aiActions: [...applied.recipe.aiActions, action].slice(-256),
      }
      return { ok: true, recipe, patch: parsed.patch, action, provider: 'workers-ai', model }
    },
  }
}

const INSTRUCTIONS = `You edit a music remix. Answer with ONE JSON object and nothing else:
{"summary": "<one sentence for the fan>", "operations": [<operation>, ...]}
Operations (stems are named by the id, name or role listed below; bars count from 0):
{"op":"setTrack","stem":S,"gainDb"?:-60..12,"pan"?:-1..1,"muted"?:true|false}
{"op":"silenceBars","stem":S,"fromBar":N,"toBar":N}   (stem not heard in bars [fromBar, toBar))
{"op":"addEffect","target":"master"|S,"type":"filter"|"eq3"|"compressor"|"delay"|"reverb"|"distortion"|"pitchShift","settings"?:{...}}
   settings: filter {mode:"lowpass"|"highpass"|"bandpass",frequency:20..20000,q:0.1..20}; eq3 {low,mid,high: -24..12 dB};
   compressor {threshold:-60..0,ratio:1..20,attack,release}; delay {division:"1/4"|"1/8"|"1/8d"|"1/4d"|"1/16",feedback:0..0.95,wet:0..1};
   reverb {decay:0.1..20,wet:0..1}; distortion {amount:0..1,wet:0..1}; pitchShift {semitones:-12..12,wet:0..1}
{"op":"removeEffect","target":"master"|S,"type":T}
{"op":"setMasterGain","gainDb":-60..12}
{"op":"setLength","seconds":N}
Use only these operations. Respect the licence terms listed. "dreamier" means more reverb and a softer top end;
"no drums until the second chorus" means silenceBars on the drums from bar 0 to the start bar of the second chorus section.`

/** The messages sent to the instruction model: the rules, the remix in brief, the licence, the request. */
export function promptFor(request: TextRequest): ModelInput['messages'] {
  const { recipe, stems, campaign, policy, text } = request
  const bar = secondsPerBar(recipe.tempo, recipe.timeSignature)
  const context = {
    tempo: recipe.tempo,
    timeSignature: recipe.timeSignature,
    lengthBars: Math.round(recipe.length / bar),
    key: campaign.key ?? null,
    sections: (campaign.sections ?? []).map((s) => ({
      label: s.label,
      startBar: s.startBar,
      endBar: s.endBar,
    })),
    stems: stems.map((s) => ({ id: s.id, name: s.name, role: s.role, voice: s.isVoice })),
    tracks: recipe.tracks.map((t) => ({
      stem: t.stem,
      gainDb: t.gainDb,
      muted: t.muted,
      effects: t.effects.map((e) => e.type),
    })),
    masterEffects: recipe.master.effects.map((e) => e.type),
    licence: describeLicence(policy),
  }
  return [
    { role: 'system', content: INSTRUCTIONS },
    { role: 'user', content: `Remix:\n${JSON.stringify(context)}\n\nRequest: ${text}` },
  ]
}
