import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import { canUndo } from '../../core/recipe/history.ts'
import { overlapsIn, type Overlap } from '../../core/recipe/overlaps.ts'
import { clockFrom } from '../components/format.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { STEM_COLORS } from '../components/colors.ts'
import { useEngineState } from '../audio/useEngine.ts'
import { EffectsPanel } from '../components/studio/EffectsPanel.tsx'
import { ExportDialog } from '../components/studio/ExportDialog.tsx'
import { LicencePanel } from '../components/studio/LicencePanel.tsx'
import { MixerPanel } from '../components/studio/MixerPanel.tsx'
import { RegionPanel } from '../components/studio/RegionPanel.tsx'
import { SaveStatus } from '../components/studio/SaveStatus.tsx'
import { ShortcutLegend } from '../components/studio/ShortcutLegend.tsx'
import { Timeline } from '../components/studio/Timeline.tsx'
import { Toolbar } from '../components/studio/Toolbar.tsx'
import { TranscribePanel } from '../transcribe/TranscribePanel.tsx'
import { newId } from '../store/ids.ts'
import { navigate } from '../store/route.ts'
import { recipeOf } from '../store/studio.ts'
import { useAutosave } from '../store/useAutosave.ts'
import { useExport } from '../store/useExport.ts'
import { useStudioLicence } from '../store/useStudioLicence.ts'
import { useStudioLoad, type StudioData } from '../store/useStudioLoad.ts'
import { replaceFrom, useStudioState } from '../store/useStudioState.ts'
import { selectedRegionOf, trackOf, type CommandEffect } from '../studio/commands.ts'
import { useEngineSync } from '../studio/useEngineSync.ts'
import { useStudioCommands } from '../studio/useStudioCommands.ts'

// Lazy: the artwork panel (canvas painting) and the assistant load when opened, not with the studio.
const ArtworkPanel = lazy(() => import('../components/studio/ArtworkPanel.tsx'))
const AssistantPanel = lazy(() =>
  import('../components/studio/AssistantPanel.tsx').then((m) => ({ default: m.AssistantPanel })),
)

/** The studio: a new remix of a campaign (`slug`) or a saved one (`remixId`). */
export function StudioPage({ slug, remixId }: { slug?: string; remixId?: string }) {
  const load = useStudioLoad(slug, remixId)
  if (load.status === 'fetching') return <main className="pad muted">Opening the studio…</main>
  if (load.status === 'error')
    return (
      <main className="pad">
        <h1>Could not open the studio</h1>
        <p className="error">{load.message}</p>
        <a href="/">Back to all campaigns</a>
      </main>
    )
  return <Studio key={load.remix?.id ?? load.campaign.slug} {...load} />
}

function Studio({ campaign, remix, user, peaks, engine }: StudioData) {
  const stems = campaign.stems
  // Re-renders when the transport starts or stops, Play starts working or a stem's state changes:
  // not on download progress, seeks or the playhead (the clock and playhead line follow it).
  useEngineState(
    engine,
    (e) => `${e.playing} ${e.playable} ${stems.map((s) => e.status(s.id).state).join()}`,
  )
  // The rests stream once the studio with its waveforms is on screen: until then nothing takes the
  // network or the main thread from the first paint and the stems' first seconds.
  useEffect(() => {
    let frame = requestAnimationFrame(
      () => (frame = requestAnimationFrame(() => engine.loadRest())),
    )
    return () => cancelAnimationFrame(frame)
  }, [engine])
  const colors = useMemo(
    () => new Map(stems.map((s, i) => [s.id, STEM_COLORS[i % STEM_COLORS.length]!])),
    [stems],
  )
  const { state, dispatch, restored, dismissRestored, reloadLatest } = useStudioState(
    campaign,
    remix,
  )
  const recipe = recipeOf(state)

  const [assistOpen, setAssistOpen] = useState(false)
  const [artworkOpen, setArtworkOpen] = useState(false)
  // On a phone the panels live in a bottom sheet, closed until asked for.
  const [sheetOpen, setSheetOpen] = useState(false)
  const [audition, setAudition] = useState<{ id: string; name: string; recipe: Recipe } | null>(
    null,
  )
  const transport = useEngineSync(engine, { recipe, audition, loop: state.loop })

  const onCreated = useCallback(
    (id: string) => window.history.replaceState(null, '', `/remix/${id}`),
    [],
  )
  const saveNow = useAutosave(state, dispatch, campaign.slug, user !== null, onCreated)

  const selectedTrack = trackOf(state)
  const selected = selectedRegionOf(state)
  const stemName = (id: string) => stems.find((s) => s.id === id)?.name ?? id
  const overlaps = useMemo(() => overlapsIn(recipe), [recipe])
  const { decision, selectedLimits, forbiddenEffects } = useStudioLicence(
    campaign,
    recipe,
    selectedTrack?.stem ?? null,
  )
  const exporter = useExport({
    save: saveNow,
    signedIn: user !== null,
    allowed: decision.allowed,
    notice: campaign.exportNotice,
  })

  const onEffect = (effect: CommandEffect) => {
    if (effect.type === 'togglePlay') transport.togglePlay()
    else if (effect.type === 'seek') transport.seek(effect.to)
    else if (effect.type === 'export') {
      engine?.pause()
      exporter.start()
    } else if (effect.panel === 'assistant') setAssistOpen((open) => !open)
    else setArtworkOpen((open) => !open)
  }
  const commands = useStudioCommands(
    {
      studio: state,
      ready: transport.ready,
      playing: transport.playing,
      exportBlocked: exporter.blocked,
      newId,
    },
    transport.playhead,
    dispatch,
    onEffect,
  )

  const loading = stems.filter((s) => engine?.status(s.id).state !== 'ready')
  const failed = stems.filter((s) => engine?.status(s.id).state === 'error')

  return (
    <main className="studio">
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
          onClick={() => commands.run('assistant')}
        >
          {commands.title('assistant')}
        </button>
        <SaveStatus
          save={state.save}
          signedIn={user !== null}
          onRetry={() => dispatch({ type: 'retrySave' })}
        />
      </header>
      {state.save === 'conflict' && (
        <div className="banner" role="alert">
          {state.saveMessage}{' '}
          <button type="button" onClick={() => void reloadLatest()}>
            Reload the latest
          </button>
        </div>
      )}
      {restored && (
        <div className="banner info" role="status">
          Restored unsaved changes kept in this browser.{' '}
          <button type="button" onClick={dismissRestored}>
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
        commands={commands}
        stems={stems}
        playhead={transport.playhead}
        playing={transport.playing}
        status={
          loading.length > 0
            ? `Loading ${loading.length} of ${stems.length} stems…`
            : `${recipe.tempo} BPM · ${campaign.key}`
        }
      />

      {audition && (
        <div className="banner info" role="status" data-testid="audition-banner">
          Auditioning “{audition.name}”: the timeline shows the proposal; your remix is unchanged.{' '}
          <button type="button" onClick={() => setAudition(null)}>
            Back to my remix
          </button>
        </div>
      )}
      {overlaps.length > 0 && !audition && (
        <div className="banner" role="status" data-testid="overlap-warning">
          {overlapWords(overlaps, (trackId) => stemName(stemOfTrack(recipe, trackId)))}
        </div>
      )}
      {recipe.tracks.length === 0 ? (
        <p className="empty">No tracks yet. Use “Add track” to bring in a stem.</p>
      ) : (
        <div className={audition ? 'auditioning' : undefined} inert={audition !== null}>
          <Timeline
            recipe={audition?.recipe ?? recipe}
            state={state}
            stems={stems}
            analysis={campaign.analysis}
            colors={colors}
            peaks={peaks}
            playhead={transport.playhead}
            playing={transport.playing}
            dispatch={dispatch}
            commands={commands}
            onSeek={transport.seek}
            trackLevel={(id) => engine?.trackLevel(id) ?? -Infinity}
          />
        </div>
      )}

      <div className={`studio-panels${sheetOpen ? ' open' : ''}`} data-testid="studio-panels">
        <button
          type="button"
          className="sheet-handle"
          aria-expanded={sheetOpen}
          onClick={() => setSheetOpen((open) => !open)}
        >
          {sheetOpen ? 'Close mixer & effects' : 'Mixer & effects'}
        </button>
        {artworkOpen && (
          <Suspense fallback={<p className="muted small">Loading the artwork panel…</p>}>
            <ArtworkPanel
              campaign={campaign}
              recipe={recipe}
              remixId={state.remixId}
              unsaved={state.save !== 'saved'}
              onSaved={(saved) => dispatch(replaceFrom(saved))}
              onClose={() => setArtworkOpen(false)}
            />
          </Suspense>
        )}
        {assistOpen && (
          <Suspense fallback={<p className="muted small">Loading the assistant…</p>}>
            <AssistantPanel
              campaign={campaign}
              recipe={recipe}
              ready={transport.ready}
              auditioning={audition?.id ?? null}
              onAudition={(a) => setAudition(a)}
              edited={canUndo(state.history)}
              onApply={(r) => dispatch({ type: 'applyRecipe', recipe: r })}
              onClose={() => (setAudition(null), setAssistOpen(false))}
            />
          </Suspense>
        )}
        <MixerPanel
          recipe={recipe}
          stems={stems}
          dispatch={dispatch}
          trackLevel={(id) => engine?.trackLevel(id) ?? -Infinity}
          masterLevel={() => engine?.masterLevel() ?? -Infinity}
          selectedTrack={selectedTrack?.id ?? null}
        />
        <LicencePanel
          summary={campaign.licenceSummary}
          decision={decision}
          notice={campaign.exportNotice}
        />
        <TranscribePanel
          campaign={campaign}
          recipe={recipe}
          stemId={selectedTrack?.stem ?? null}
          bufferOf={(id) => engine?.buffers().get(id)}
          dispatch={dispatch}
        />
        {selected && (
          <RegionPanel
            trackId={selected.trackId}
            region={selected.region}
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
      {exporter.step.step !== 'idle' && (
        <ExportDialog
          step={exporter.step}
          notice={campaign.exportNotice}
          onStart={exporter.run}
          onClose={exporter.close}
        />
      )}
      <ShortcutLegend />
    </main>
  )
}

const stemOfTrack = (recipe: Recipe, trackId: string) =>
  recipe.tracks.find((t) => t.id === trackId)?.stem ?? trackId

/** "Regions overlap on Bass at 0:05.0–0:06.0: both play there. Move or trim one." (first three) */
function overlapWords(overlaps: readonly Overlap[], nameOf: (trackId: string) => string): string {
  const places = overlaps
    .slice(0, 3)
    .map((o) => `${nameOf(o.trackId)} at ${clockFrom(o.from)}–${clockFrom(o.to)}`)
  const more = overlaps.length > 3 ? ` and ${overlaps.length - 3} more` : ''
  return `Regions overlap on ${places.join(', ')}${more}: both play there. Move or trim one.`
}
