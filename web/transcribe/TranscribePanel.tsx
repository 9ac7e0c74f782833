import { useEffect, useMemo, useState, type Dispatch } from 'react'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import { evaluateLicence } from '../../core/licence/evaluate.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import { generationActionFrom, transcriptionActionFrom } from '../../core/music/actions.ts'
import { generatePart } from '../../core/music/generate.ts'
import { PartKind } from '../../core/music/part.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { newId } from '../store/ids.ts'
import type { StudioAction } from '../store/studio.ts'
import { storedNotes } from './stored.ts'
import type { Transcription } from './transcriber.ts'

type Props = {
  campaign: CampaignDetail
  recipe: Recipe
  stemId: string | null // the selected track's stem
  bufferOf: (stemId: string) => AudioBuffer | undefined
  dispatch: Dispatch<StudioAction>
}

type Run =
  | { state: 'idle' }
  | { state: 'loading' } // asking the worker for notes made ahead of time
  | { state: 'running'; progress: number }
  | { state: 'error'; message: string }

const KIND_NAMES: Record<PartKind, string> = {
  counterMelody: 'Counter-melody',
  arpeggio: 'Arpeggio',
  bassVariation: 'Bass variation',
}

// Per stem, for this page's life: a stem's audio does not change while the studio is open.
const cache = new Map<string, Transcription>()
// Stems with no stored notes: transcribed here, in the browser, on request.
const unstored = new Set<string>()
// Stored transcriptions already recorded in the remix as AI actions (once per stem).
const recorded = new Set<string>()
/** The AI action recording a transcription of one stem (made here or ahead of time). */
const actionOf = (stem: string, t: Transcription) =>
  transcriptionActionFrom({
    id: newId('ai'),
    stem,
    at: new Date().toISOString(),
    backend: t.backend,
    thresholds: t.thresholds,
    notes: t.notes.length,
    key: t.key.name,
  })

/**
 * Transcribe the selected stem with basic-pitch (loaded on first use), show its notes, key and
 * chords, and add a generated part from it — each step recorded as an AI action, and only where
 * the licence lets the assistant derive from that stem.
 */
export function TranscribePanel({ campaign, recipe, stemId, bufferOf, dispatch }: Props) {
  const [run, setRun] = useState<Run>({ state: 'idle' })
  const [kind, setKind] = useState<PartKind>('counterMelody')
  const [, setVersion] = useState(0)
  const stem = campaign.stems.find((s) => s.id === stemId) ?? null
  const refusal = useMemo(() => {
    if (!stem) return null
    const decision = evaluateLicence(campaign.licence, {
      action: 'generateParts',
      at: new Date().toISOString(),
      country: null,
      purpose: 'non-commercial',
      recipe,
      stems: licenceStemsFrom(campaign.slug, campaign.stems),
      exportsToday: 0,
      approved: false,
      names: Object.fromEntries(campaign.stems.map((s) => [s.id, s.name])),
      sourceStems: [stem.id],
    })
    return decision.allowed ? null : decision.violations.map((v) => v.message).join(' ')
  }, [campaign, recipe, stem])
  const grid = {
    tempo: campaign.analysis?.tempo ?? campaign.tempo,
    beatsPerBar: campaign.timeSignature[0],
    offset: campaign.analysis?.downbeats[0] ?? 0,
  }
  const result = stem ? cache.get(stem.id) : undefined
  const eligible = stem !== null && stem.role !== 'drums' && refusal === null

  // Notes made ahead of time appear at once; only a stem without them needs the model here.
  const stemKey = eligible && !result && !unstored.has(stem.id) ? stem.id : null
  useEffect(() => {
    if (!stemKey) return
    const abort = new AbortController()
    setRun({ state: 'loading' })
    import('./transcriber.ts')
      .then(async ({ transcriptionFromStored }) => {
        const file = await storedNotes(stemKey, abort.signal)
        if (file) cache.set(stemKey, transcriptionFromStored(file, grid))
        else unstored.add(stemKey)
        setRun({ state: 'idle' })
        setVersion((v) => v + 1)
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return
        unstored.add(stemKey) // the fallback still works
        setRun({ state: 'error', message: (err as Error).message })
      })
    return () => abort.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the grid is the campaign's, fixed here
  }, [stemKey])

  const transcribe = async () => {
    const buffer = stem && bufferOf(stem.id)
    if (!stem || !buffer) return
    setRun({ state: 'running', progress: 0 })
    try {
      const { transcribeBuffer } = await import('./transcriber.ts')
      const onProgress = (progress: number) => setRun({ state: 'running', progress })
      const t = await transcribeBuffer(buffer, { grid, onProgress })
      cache.set(stem.id, t)
      dispatch({ type: 'edit', edit: { type: 'recordAiAction', action: actionOf(stem.id, t) } })
      setRun({ state: 'idle' })
      setVersion((v) => v + 1)
    } catch (err) {
      setRun({ state: 'error', message: (err as Error).message })
    }
  }

  const addPart = () => {
    if (!stem || !result) return
    if (result.backend === 'stored' && !recorded.has(stem.id)) {
      recorded.add(stem.id)
      dispatch({
        type: 'edit',
        edit: { type: 'recordAiAction', action: actionOf(stem.id, result) },
      })
    }
    const seed = crypto.getRandomValues(new Uint32Array(1))[0]!
    const barSeconds = (grid.beatsPerBar * 60) / recipe.tempo
    const bars = Math.max(1, Math.min(result.chords.length, Math.floor(recipe.length / barSeconds)))
    const action = generationActionFrom({
      id: newId('ai'),
      at: new Date().toISOString(),
      kind,
      seed,
      sourceStems: [stem.id],
      key: result.key.name,
      chords: result.chords.slice(0, bars).map((c) => c.symbol),
      bars,
    })
    const part = generatePart({
      kind,
      notes: result.notes,
      key: result.key,
      chords: result.chords,
      tempo: recipe.tempo,
      beatsPerBar: grid.beatsPerBar,
      offset: grid.offset,
      bars,
      seed,
      id: newId('gen'),
      sourceStems: [stem.id],
      aiAction: action.id,
    })
    dispatch({ type: 'edit', edit: { type: 'addGeneratedPart', part, action } })
  }

  const chordLine = result?.chords
    .slice(0, 8)
    .map((c) => c.symbol)
    .join(' ')
  return (
    <section className="transcribe-panel" aria-label="Transcribe" data-testid="transcribe-panel">
      <h3>Transcribe</h3>
      {!stem ? (
        <p className="muted small">Select a track to turn its stem into notes.</p>
      ) : stem.role === 'drums' ? (
        <p className="muted small">{stem.name} has no notes to transcribe.</p>
      ) : refusal ? (
        <p className="small" data-testid="transcribe-refused">
          {refusal}
        </p>
      ) : (
        <>
          {run.state === 'loading' ? (
            <p className="muted small">Loading {stem.name}’s notes…</p>
          ) : (
            !result && (
              <button
                type="button"
                onClick={transcribe}
                disabled={run.state === 'running' || !bufferOf(stem.id)}
              >
                {run.state === 'running'
                  ? `Transcribing… ${Math.round(run.progress * 100)} %`
                  : `Transcribe ${stem.name}`}
              </button>
            )
          )}
          {run.state === 'error' && <p className="error small">{run.message}</p>}
          {result && (
            <>
              <p className="small" data-testid="transcription">
                {result.notes.length} notes · {result.key.name} · {chordLine}
                {result.chords.length > 8 ? ' …' : ''}
              </p>
              <label className="small">
                Generate{' '}
                <select value={kind} onChange={(e) => setKind(e.target.value as PartKind)}>
                  {PartKind.options.map((k) => (
                    <option key={k} value={k}>
                      {KIND_NAMES[k]}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="button" onClick={addPart}>
                Add part
              </button>
            </>
          )}
          <p className="muted small" data-testid="transcribe-source">
            {result?.backend === 'stored'
              ? 'Notes made ahead of time with Spotify’s basic-pitch model; recorded in the remix as AI use.'
              : 'Runs Spotify’s basic-pitch model in this browser; recorded in the remix as AI use.'}
            {!result && !self.crossOriginIsolated
              ? ' This page is not cross-origin isolated, so the model runs on one thread (slower).'
              : ''}
          </p>
        </>
      )}
      {recipe.generatedParts.length > 0 && (
        <ul className="small" aria-label="Generated parts">
          {recipe.generatedParts.map((p) => (
            <li key={p.id}>
              {KIND_NAMES[p.kind]} ({p.instrument}) from{' '}
              {p.sourceStems
                .map((id) => campaign.stems.find((s) => s.id === id)?.name ?? id)
                .join(', ')}{' '}
              <button
                type="button"
                onClick={() =>
                  dispatch({ type: 'edit', edit: { type: 'removeGeneratedPart', partId: p.id } })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
