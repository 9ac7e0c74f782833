import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react'
import type { Peaks } from '../../core/audio/peaks.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { UserView } from '../../core/api/users.ts'
import { defaultRecipeFrom, stemSecondsFrom } from '../../core/recipe/default.ts'
import { findRegion } from '../../core/recipe/edits.ts'
import { secondsPerBar, snapTime } from '../../core/recipe/grid.ts'
import { recipeFrom } from '../../core/recipe/migrate.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { STEM_COLORS } from '../components/colors.ts'
import { api } from '../api.ts'
import { ApiError } from '../request.ts'
import { useAnimationFrame } from '../audio/hooks.ts'
import { useEngine } from '../audio/useEngine.ts'
import { AssistantPanel } from '../components/studio/AssistantPanel.tsx'
import { EffectsPanel } from '../components/studio/EffectsPanel.tsx'
import { ExportDialog } from '../components/studio/ExportDialog.tsx'
import { LicencePanel } from '../components/studio/LicencePanel.tsx'
import { runExport, type ExportStep } from '../store/exportFlow.ts'
import { MixerPanel } from '../components/studio/MixerPanel.tsx'
import { RegionPanel } from '../components/studio/RegionPanel.tsx'
import { Timeline } from '../components/studio/Timeline.tsx'
import { Toolbar } from '../components/studio/Toolbar.tsx'
import { TranscribePanel } from '../transcribe/TranscribePanel.tsx'
import { readDraft } from '../store/draft.ts'
import { newId } from '../store/ids.ts'
import { navigate } from '../store/route.ts'
import { recipeOf, studioFrom, studioReducer, type SaveState } from '../store/studio.ts'
import { useAutosave } from '../store/useAutosave.ts'
import { useStudioKeys } from '../store/useStudioKeys.ts'
import { useStudioLicence } from '../store/useStudioLicence.ts'

// Lazy: the artwork panel (canvas painting) stays out of the main bundle.
const ArtworkPanel = lazy(() => import('../components/studio/ArtworkPanel.tsx'))

type Loaded = {
  campaign: CampaignDetail
  remix: RemixView | null
  user: UserView | null
  peaks: Map<string, Peaks>
}
type State =
  { status: 'fetching' } | { status: 'error'; message: string } | ({ status: 'ready' } & Loaded)

/** The studio: a new remix of a campaign (`slug`) or a saved one (`remixId`). */
export function StudioPage({ slug, remixId }: { slug?: string; remixId?: string }) {
  const [state, setState] = useState<State>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    const { signal } = abort
    ;(async () => {
      const user = await api
        .me(signal)
        .then((r) => r.user)
        .catch(() => null)
      const remix = remixId ? (await api.remix(remixId, signal)).remix : null
      const { campaign } = await api.campaign(remix?.campaign ?? slug!, signal)
      const peaks = new Map(
        await Promise.all(
          campaign.stems.map(async (s) => [s.id, await api.peaks(s.peaksUrl, signal)] as const),
        ),
      )
      setState({ status: 'ready', campaign, remix, user, peaks })
      document.title = `${remix?.title ?? 'New remix'} · ${campaign.title} · Stemfair studio`
    })().catch((err: Error) => {
      if (signal.aborted) return
      const message =
        err instanceof ApiError && err.status === 403
          ? 'This remix belongs to someone else.'
          : err.message
      setState({ status: 'error', message })
    })
    return () => abort.abort()
  }, [slug, remixId])

  if (state.status === 'fetching') return <main className="pad muted">Opening the studio…</main>
  if (state.status === 'error')
    return (
      <main className="pad">
        <h1>Could not open the studio</h1>
        <p className="error">{state.message}</p>
        <a href="/">Back to all campaigns</a>
      </main>
    )
  return <Studio key={state.remix?.id ?? state.campaign.slug} {...state} />
}

function initialRecipe(
  campaign: CampaignDetail,
  remix: RemixView | null,
): { recipe: Recipe; restored: boolean } {
  const base = remix ? recipeFrom(remix.recipe) : defaultRecipeFrom(campaign)
  const draft = readDraft(remix?.id ?? `new:${campaign.slug}`)
  if (!draft || draft.baseVersion !== (remix?.version ?? 0))
    return { recipe: base, restored: false }
  try {
    const recipe = recipeFrom(draft.recipe)
    return { recipe, restored: JSON.stringify(recipe) !== JSON.stringify(base) }
  } catch {
    return { recipe: base, restored: false }
  }
}

const SAVE_TEXT: Record<SaveState, string> = {
  saved: 'All changes saved',
  unsaved: 'Unsaved changes…',
  saving: 'Saving…',
  error: 'Could not save',
  conflict: 'Saved somewhere else',
  local: 'Kept in this browser',
}

function Studio({ campaign, remix, user, peaks }: Loaded) {
  const stems = campaign.stems
  const engine = useEngine(
    useMemo(() => stems.map((s) => ({ id: s.id, url: s.audioUrl })), [stems]),
  )
  const colors = useMemo(
    () => new Map(stems.map((s, i) => [s.id, STEM_COLORS[i % STEM_COLORS.length]!])),
    [stems],
  )
  const [initial] = useState(() => initialRecipe(campaign, remix))
  const [restored, setRestored] = useState(initial.restored)
  const [state, dispatch] = useReducer(studioReducer, null, () => {
    const s = studioFrom(
      initial.recipe,
      { stemSeconds: stemSecondsFrom(campaign) },
      remix,
      `${campaign.title} (remix)`,
    )
    return initial.restored && remix ? { ...s, save: 'unsaved' as const, savedRecipe: null } : s
  })
  const recipe = recipeOf(state)
  const [position, setPosition] = useState(0)
  const scroller = useRef<HTMLDivElement>(null)

  const [assistOpen, setAssistOpen] = useState(false)
  const [artworkOpen, setArtworkOpen] = useState(false)
  // An audition plays a proposal through the engine; the remix itself stays as it is.
  const [audition, setAudition] = useState<{ id: string; recipe: Recipe } | null>(null)
  const heard = audition?.recipe ?? recipe
  useEffect(() => {
    if (engine?.ready) engine.setRecipe(heard)
  }, [engine, engine?.ready, heard])
  useEffect(() => {
    if (!engine?.ready) return
    engine.seek(0)
    if (audition) void engine.play()
    else engine.pause()
  }, [engine, engine?.ready, audition])
  useEffect(() => engine?.setLoop(state.loop), [engine, state.loop])

  useAnimationFrame(() => {
    if (!engine) return
    if (engine.playing && !state.loop && engine.position >= heard.length) {
      engine.pause()
      engine.seek(0)
    }
    setPosition(engine.position)
    const box = scroller.current?.querySelector<HTMLElement>('.timeline-scroll')
    if (box && engine.playing) {
      const x = engine.position * state.pxPerSecond
      if (x < box.scrollLeft || x > box.scrollLeft + box.clientWidth - 40)
        box.scrollLeft = Math.max(0, x - 80)
    }
  })

  const onCreated = useCallback(
    (id: string) => window.history.replaceState(null, '', `/remix/${id}`),
    [],
  )
  const saveNow = useAutosave(state, dispatch, campaign.slug, user !== null, onCreated)

  const sel = state.selection
  const selectedTrack = recipe.tracks.find((t) => t.id === sel?.trackId) ?? null
  const selectedRegion = sel?.regionId ? findRegion(recipe, sel.trackId, sel.regionId) : null
  const stemName = (id: string) => stems.find((s) => s.id === id)?.name ?? id
  const { decision, selectedLimits, forbiddenEffects } = useStudioLicence(
    campaign,
    recipe,
    selectedTrack?.stem ?? null,
  )

  const [exportStep, setExportStep] = useState<ExportStep>({ step: 'idle' })
  const exportAbort = useRef<AbortController | null>(null)
  const startExport = () => {
    engine?.pause()
    const abort = new AbortController()
    exportAbort.current = abort
    void runExport({
      save: saveNow,
      onStep: (step) => !abort.signal.aborted && setExportStep(step),
      signal: abort.signal,
    })
  }
  const closeExport = () => {
    exportAbort.current?.abort()
    setExportStep({ step: 'idle' })
  }
  // The server renders the export from the saved remix: the stems need not be loaded here.
  const exportBlocked = !user
    ? 'Log in to export'
    : !decision.allowed
      ? 'The licence does not allow this remix yet: see the licence panel'
      : null
  // The grid's beat follows the time signature (an eighth note in 6/8).
  const beat = secondsPerBar(recipe.tempo, recipe.timeSignature) / recipe.timeSignature[0]

  const seek = (t: number) => engine?.seek(Math.max(0, Math.min(recipe.length, t)))
  const togglePlay = () => {
    if (!engine?.ready) return
    if (engine.playing) engine.pause()
    else void engine.play()
  }
  const regionUnderPlayhead = () => {
    if (!selectedTrack) return null
    if (
      selectedRegion &&
      position > selectedRegion.start &&
      position < selectedRegion.start + selectedRegion.duration
    )
      return selectedRegion
    return (
      selectedTrack.regions.find((r) => position > r.start && position < r.start + r.duration) ??
      null
    )
  }
  const split = () => {
    const region = regionUnderPlayhead()
    if (!selectedTrack || !region) return
    dispatch({
      type: 'edit',
      edit: {
        type: 'splitRegion',
        trackId: selectedTrack.id,
        regionId: region.id,
        at: position,
        newRegionId: newId('r'),
      },
    })
  }
  const duplicate = () => {
    if (!sel?.regionId) return
    const regionId = newId('r')
    dispatch({
      type: 'edit',
      edit: {
        type: 'duplicateRegion',
        trackId: sel.trackId,
        regionId: sel.regionId,
        newRegionId: regionId,
      },
    })
    dispatch({ type: 'select', selection: { trackId: sel.trackId, regionId } })
  }
  const remove = () => {
    if (sel?.regionId)
      dispatch({
        type: 'edit',
        edit: { type: 'deleteRegion', trackId: sel.trackId, regionId: sel.regionId },
      })
  }
  const addRegion = (trackId: string) => {
    const track = recipe.tracks.find((t) => t.id === trackId)
    if (!track) return
    const start = snapTime(
      position,
      state.snap === 'off' ? 'beat' : state.snap,
      recipe.tempo,
      recipe.timeSignature,
    )
    const stemSeconds = state.ctx.stemSeconds[track.stem] ?? 0
    const offset = Math.min(start, Math.max(0, stemSeconds - beat))
    const duration = Math.min(
      4 * secondsPerBar(recipe.tempo, recipe.timeSignature),
      stemSeconds - offset,
    )
    const regionId = newId('r')
    dispatch({
      type: 'edit',
      edit: { type: 'addRegion', trackId, regionId, start, offset, duration },
    })
    dispatch({ type: 'select', selection: { trackId, regionId } })
  }
  const setTrackFlag = (flag: 'muted' | 'soloed') => {
    if (selectedTrack)
      dispatch({
        type: 'edit',
        edit: {
          type: 'setTrack',
          trackId: selectedTrack.id,
          patch: { [flag]: !selectedTrack[flag] },
        },
      })
  }

  useStudioKeys({
    togglePlay,
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
    split,
    duplicate,
    remove,
    nudge: (direction, fine) => {
      const step = fine ? beat / 4 : beat
      if (sel?.regionId && selectedRegion)
        dispatch({
          type: 'edit',
          edit: {
            type: 'moveRegion',
            trackId: sel.trackId,
            regionId: sel.regionId,
            start: Math.max(0, selectedRegion.start + direction * step),
          },
        })
      else seek(position + direction * step)
    },
    zoom: (factor) => dispatch({ type: 'zoom', factor }),
    mute: () => setTrackFlag('muted'),
    solo: () => setTrackFlag('soloed'),
    assistant: () => setAssistOpen((open) => !open),
    artwork: () => setArtworkOpen((open) => !open),
  })

  const reload = async () => {
    if (!state.remixId) return
    const { remix: latest } = await api.remix(state.remixId)
    dispatch({
      type: 'replace',
      recipe: recipeFrom(latest.recipe),
      remixId: latest.id,
      version: latest.version,
      title: latest.title,
      saved: true,
    })
  }

  const loading = stems.filter((s) => engine?.status(s.id).state !== 'ready')
  const failed = stems.filter((s) => engine?.status(s.id).state === 'error')

  return (
    <main className="studio" ref={scroller}>
      <header className="studio-head">
        <div>
          <p className="eyebrow">
            Studio ·{' '}
            <a
              href={`/c/${campaign.slug}`}
              onClick={(e) => (e.preventDefault(), navigate(`/c/${campaign.slug}`))}
            >
              {campaign.title}
            </a>{' '}
            by {campaign.artist}
          </p>
          <input
            className="title-input"
            aria-label="Remix title"
            value={state.title}
            maxLength={120}
            onChange={(e) => dispatch({ type: 'setTitle', title: e.currentTarget.value })}
          />
        </div>
        <button
          type="button"
          className="assistant-toggle"
          aria-expanded={assistOpen}
          onClick={() => setAssistOpen((open) => !open)}
        >
          Assistant (A)
        </button>
        <div
          className={`save-state ${state.save}`}
          role="status"
          data-testid="save-state"
          data-state={state.save}
        >
          {SAVE_TEXT[state.save]}
          {state.save === 'local' && !user && (
            <>
              {' · '}
              <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in to save</a>
            </>
          )}
          {state.save === 'error' && (
            <button type="button" onClick={() => dispatch({ type: 'retrySave' })}>
              Retry
            </button>
          )}
        </div>
      </header>
      {state.save === 'conflict' && (
        <div className="banner" role="alert">
          {state.saveMessage}{' '}
          <button type="button" onClick={() => void reload()}>
            Reload the latest
          </button>
        </div>
      )}
      {restored && (
        <div className="banner info" role="status">
          Restored unsaved changes kept in this browser.{' '}
          <button type="button" onClick={() => setRestored(false)}>
            OK
          </button>
        </div>
      )}
      {failed.length > 0 && (
        <div className="banner" role="alert">
          Could not load {failed.map((s) => s.name).join(', ')}. Check your connection and reload.
        </div>
      )}

      <Toolbar
        recipe={recipe}
        state={state}
        dispatch={dispatch}
        stems={stems}
        position={position}
        playing={engine?.playing ?? false}
        ready={engine?.ready ?? false}
        status={
          loading.length > 0
            ? `Loading ${loading.length} of ${stems.length} stems…`
            : `${recipe.tempo} BPM · ${campaign.key}`
        }
        canSplit={regionUnderPlayhead() !== null}
        hasSelection={selectedRegion !== null}
        exportBlocked={exportBlocked}
        on={{
          togglePlay,
          split,
          duplicate,
          remove,
          startExport,
          artwork: () => setArtworkOpen((o) => !o),
        }}
      />

      {recipe.tracks.length === 0 ? (
        <p className="empty">No tracks yet. Use “Add track” to bring in a stem.</p>
      ) : (
        <Timeline
          recipe={recipe}
          state={state}
          stems={stems}
          analysis={campaign.analysis}
          colors={colors}
          peaks={peaks}
          position={position}
          dispatch={dispatch}
          onSeek={seek}
          onAddRegion={addRegion}
          trackLevel={(id) => engine?.trackLevel(id) ?? -Infinity}
        />
      )}

      <div className="studio-panels">
        {artworkOpen && (
          <Suspense fallback={<p className="muted small">Loading the artwork panel…</p>}>
            <ArtworkPanel
              campaign={campaign}
              recipe={recipe}
              remixId={state.remixId}
              unsaved={state.save !== 'saved'}
              onSaved={(saved) =>
                dispatch({
                  type: 'replace',
                  recipe: recipeFrom(saved.recipe),
                  remixId: saved.id,
                  version: saved.version,
                  title: saved.title,
                  saved: true,
                })
              }
              onClose={() => setArtworkOpen(false)}
            />
          </Suspense>
        )}
        {assistOpen && (
          <AssistantPanel
            campaign={campaign}
            recipe={recipe}
            ready={engine?.ready ?? false}
            auditioning={audition?.id ?? null}
            onAudition={(id, r) => setAudition(id && r ? { id, recipe: r } : null)}
            onApply={(r) => dispatch({ type: 'applyRecipe', recipe: r })}
            onClose={() => (setAudition(null), setAssistOpen(false))}
          />
        )}
        <MixerPanel
          recipe={recipe}
          stems={stems}
          dispatch={dispatch}
          trackLevel={(id) => engine?.trackLevel(id) ?? -Infinity}
          masterLevel={() => engine?.masterLevel() ?? -Infinity}
          selectedTrack={selectedTrack?.id ?? null}
        />
        <LicencePanel summary={campaign.licenceSummary} decision={decision} />
        <TranscribePanel
          campaign={campaign}
          recipe={recipe}
          stemId={selectedTrack?.stem ?? null}
          bufferOf={(id) => engine?.buffers().get(id)}
          dispatch={dispatch}
        />
        {selectedRegion && sel && (
          <RegionPanel
            trackId={sel.trackId}
            region={selectedRegion}
            dispatch={dispatch}
            limits={selectedLimits}
          />
        )}
        <EffectsPanel
          target={selectedTrack?.id ?? 'master'}
          targetName={selectedTrack ? stemName(selectedTrack.stem) : 'Master'}
          effects={selectedTrack?.effects ?? recipe.master.effects}
          dispatch={dispatch}
          newId={() => newId('fx')}
          forbidden={forbiddenEffects}
        />
      </div>
      {exportStep.step !== 'idle' && <ExportDialog step={exportStep} onClose={closeExport} />}
      <p className="muted small keys">
        Space play · S split · Ctrl+D duplicate · Del delete · ←/→ nudge (Shift: finer) · +/− zoom ·
        M mute · Shift+S solo · Ctrl+Z undo · Shift+Ctrl+Z redo · drag the ruler to loop · A
        assistant · C artwork
      </p>
    </main>
  )
}
