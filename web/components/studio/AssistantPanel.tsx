import { useState } from 'react'
import { recipeFromProposal } from '../../../core/assist/propose.ts'
import {
  ENERGY_PRESETS,
  Intent,
  INTENT_NAMES,
  MAX_SEED,
  type EnergyPreset,
  type Proposal,
} from '../../../core/assist/types.ts'
import type { CampaignDetail } from '../../../core/api/campaigns.ts'
import { LIMITS, type Recipe } from '../../../core/recipe/schema.ts'
import { assistApi, type TextPatchView } from '../../assist/api.ts'
import { useAssistant, useProviders } from '../../assist/useAssistant.ts'
import '../../assist/assistant.css'

type Props = {
  campaign: CampaignDetail
  recipe: Recipe
  ready: boolean // the stems are loaded, so auditions can play
  auditioning: string | null
  /**
   * Plays a recipe through the studio engine and shows it on the timeline without changing the
   * remix; null goes back to it.
   */
  onAudition: (audition: { id: string; name: string; recipe: Recipe } | null) => void
  /** The fan has edits this session that applying would replace (so Apply asks first). */
  edited: boolean
  /** Applies a recipe as one undoable step. */
  onApply: (recipe: Recipe) => void
  onClose: () => void
}

const ENERGY_NAMES: Record<EnergyPreset | 'auto', string> = {
  auto: 'As the intent shapes it',
  rising: 'Rising',
  flat: 'Flat',
  wave: 'Waves',
  peak: 'Peak in the middle',
}

const minutes = (s: number) =>
  `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`

/** The remix assistant: an intent, a length and an energy curve in; three proposals out. */
export function AssistantPanel(props: Props) {
  const { campaign, recipe, ready, auditioning, edited, onAudition, onApply, onClose } = props
  const { choice, setChoice, result, generate, regenerate } = useAssistant(campaign, recipe)
  const providers = useProviders()
  const freeText = providers.find((p) => p.capabilities.freeText)
  const audition = (id: string, name: string, r: Recipe) =>
    onAudition(auditioning === id ? null : { id, name, recipe: r })
  const apply = (r: Recipe) => {
    onAudition(null)
    onApply(r)
  }

  return (
    <section className="assistant-panel" aria-label="Remix assistant" data-testid="assistant">
      <header>
        <h3>Remix assistant</h3>
        <button type="button" className="link" onClick={onClose} aria-label="Close the assistant">
          Close
        </button>
      </header>
      <form
        className="assistant-form"
        onSubmit={(e) => {
          e.preventDefault()
          generate()
        }}
      >
        <label>
          Intent
          <select
            aria-label="Intent"
            value={choice.intent}
            onChange={(e) => {
              const intent = e.currentTarget.value as Intent
              const radio = intent === 'radioEdit' && choice.targetSeconds === null
              setChoice({ ...choice, intent, targetSeconds: radio ? 180 : choice.targetSeconds })
            }}
          >
            {Intent.options.map((i) => (
              <option key={i} value={i}>
                {INTENT_NAMES[i]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Length (seconds, empty: the intent decides)
          <input
            aria-label="Length in seconds"
            type="number"
            min={15}
            max={LIMITS.length}
            step={1}
            value={choice.targetSeconds ?? ''}
            onChange={(e) => {
              const value = e.currentTarget.value
              setChoice({ ...choice, targetSeconds: value === '' ? null : Number(value) })
            }}
          />
        </label>
        <label>
          Energy
          <select
            aria-label="Energy"
            value={choice.energy}
            onChange={(e) =>
              setChoice({ ...choice, energy: e.currentTarget.value as EnergyPreset | 'auto' })
            }
          >
            {(['auto', ...Object.keys(ENERGY_PRESETS)] as const).map((k) => (
              <option key={k} value={k}>
                {ENERGY_NAMES[k as EnergyPreset | 'auto']}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seed
          <input
            aria-label="Seed"
            type="number"
            min={0}
            max={MAX_SEED}
            value={choice.seed}
            onChange={(e) => setChoice({ ...choice, seed: Number(e.currentTarget.value) })}
          />
        </label>
        <div className="assistant-actions">
          <button type="submit" className="primary">
            Generate
          </button>
          <button type="button" onClick={regenerate} disabled={!result}>
            Regenerate (new seed)
          </button>
        </div>
      </form>

      {result?.error && (
        <p className="error small" role="alert">
          {result.error}
        </p>
      )}
      {result && !result.error && (
        <>
          <p className="muted small" data-testid="assistant-seed">
            {INTENT_NAMES[choice.intent]} · seed {result.proposals[0]?.seed ?? choice.seed} · by the
            local assistant (offline, on this campaign’s stems only)
          </p>
          <ol className="proposals">
            {result.proposals.map((p) => (
              <ProposalCard
                key={p.id}
                proposal={p}
                ready={ready}
                playing={auditioning === p.id}
                edited={edited}
                onAudition={() => audition(p.id, p.name, p.recipe)}
                onApply={() => apply(recipeFromProposal(p, new Date().toISOString()))}
              />
            ))}
          </ol>
          {result.refused.length > 0 && (
            <div className="refused small" data-testid="refused">
              <p>Not offered:</p>
              <ul>
                {result.refused.map((r) => (
                  <li key={r.variant}>
                    <strong>{r.name}</strong>: {r.reasons.map((v) => v.message).join(' ')}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
      {freeText && (
        <FreeText
          recipe={recipe}
          model={freeText.model ?? 'Workers AI'}
          ready={ready}
          playing={auditioning === 'text'}
          onAudition={(r) => audition('text', 'your words', r)}
          onApply={apply}
        />
      )}
    </section>
  )
}

function ProposalCard(props: {
  proposal: Proposal
  ready: boolean
  playing: boolean
  edited: boolean
  onAudition: () => void
  onApply: () => void
}) {
  const { proposal: p, ready, playing, edited } = props
  const [asking, setAsking] = useState(false)
  return (
    <li className="proposal-card" data-testid="proposal">
      <h4>{p.name}</h4>
      <p className="small">{p.description}</p>
      <p className="muted small">
        {minutes(p.recipe.length)} · {p.recipe.tracks.length} stems · provider: {p.provider}
        {p.generatedPart ? ` · with a generated ${p.generatedPart.kind}` : ''}
      </p>
      {p.repairs.length > 0 && (
        <details className="small">
          <summary>Changed to meet the licence ({p.repairs.length})</summary>
          <ul>
            {p.repairs.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="assistant-actions">
        <button type="button" onClick={props.onAudition} disabled={!ready} aria-pressed={playing}>
          {playing ? 'Stop audition' : 'Audition'}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => (edited ? setAsking(true) : props.onApply())}
          disabled={asking}
        >
          Apply
        </button>
      </div>
      {asking && (
        <div
          className="assistant-confirm small"
          role="alertdialog"
          aria-label="Replace your edits?"
        >
          <p>
            “{p.name}” replaces your arrangement and its edits. Undo (Ctrl+Z) brings yours back.
          </p>
          <div className="assistant-actions">
            <button
              type="button"
              className="primary"
              onClick={() => (setAsking(false), props.onApply())}
            >
              Replace my edits
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Keep mine
            </button>
          </div>
        </div>
      )}
    </li>
  )
}

function FreeText(props: {
  recipe: Recipe
  model: string
  ready: boolean
  playing: boolean
  onAudition: (recipe: Recipe) => void
  onApply: (recipe: Recipe) => void
}) {
  const [text, setText] = useState('')
  const [state, setState] = useState<
    | { s: 'idle' }
    | { s: 'asking' }
    | { s: 'done'; result: TextPatchView }
    | { s: 'error'; message: string }
  >({ s: 'idle' })
  const ask = async () => {
    setState({ s: 'asking' })
    try {
      setState({ s: 'done', result: await assistApi.text({ recipe: props.recipe, text }) })
    } catch (err) {
      setState({ s: 'error', message: (err as Error).message })
    }
  }
  return (
    <div className="free-text" data-testid="free-text">
      <label>
        Ask in your own words (Workers AI, {props.model})
        <textarea
          value={text}
          maxLength={500}
          rows={2}
          placeholder="dreamier, no drums until the second chorus"
          onChange={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <button
        type="button"
        onClick={() => void ask()}
        disabled={!text.trim() || state.s === 'asking'}
      >
        {state.s === 'asking' ? 'Asking…' : 'Ask'}
      </button>
      {state.s === 'error' && (
        <p className="error small" role="alert">
          {state.message}
        </p>
      )}
      {state.s === 'done' && (
        <div className="proposal-card">
          <p className="small">{state.result.summary}</p>
          <p className="muted small">
            provider: {state.result.provider} · {state.result.model}
          </p>
          <div className="assistant-actions">
            <button
              type="button"
              onClick={() => props.onAudition(state.result.recipe)}
              disabled={!props.ready}
              aria-pressed={props.playing}
            >
              {props.playing ? 'Stop audition' : 'Audition'}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => props.onApply(state.result.recipe)}
            >
              Apply
            </button>
          </div>
        </div>
      )}
    </div>
  )
}
