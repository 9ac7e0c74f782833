import { useCallback, useEffect, useMemo, useState } from 'react'
import { assistInputFrom } from '../../core/assist/from-campaign.ts'
import { intentFrom, quickRemix } from '../../core/assist/quick.ts'
import { INTENT_NAMES } from '../../core/assist/types.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { UserView } from '../../core/api/users.ts'
import { defaultRecipeFrom } from '../../core/recipe/default.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { api } from '../api.ts'
import { newSeed } from '../assist/useAssistant.ts'
import { useEngine } from '../audio/useEngine.ts'
import { writeDraft } from '../store/draft.ts'
import { navigate } from '../store/route.ts'
import { useExport } from '../store/useExport.ts'
import { saveArtworkPlan } from '../artwork/api.ts'
import { ExportDialog } from '../components/studio/ExportDialog.tsx'
import { MixWave } from '../components/quick/MixWave.tsx'
import { QuickCover, quickArtwork } from '../components/quick/QuickCover.tsx'
import '../assist/assistant.css'

type Loaded = { campaign: CampaignDetail; user: UserView | null }
type Made = {
  recipe: Recipe
  name: string
  seed: number
  remixId: string | null
  version: number
  error: string | null
}

/** Quick mode: two sliders and one click make a whole remix, which opens in the studio after. */
export function QuickPage({ slug }: { slug: string }) {
  const [loaded, setLoaded] = useState<Loaded | { error: string } | null>(null)
  useEffect(() => {
    const abort = new AbortController()
    Promise.all([
      api.campaign(slug, abort.signal),
      api.me(abort.signal).catch(() => ({ user: null })),
    ])
      .then(([{ campaign }, { user }]) => {
        setLoaded({ campaign, user })
        document.title = `Quick remix · ${campaign.title} · Stemfair`
      })
      .catch((err: Error) => !abort.signal.aborted && setLoaded({ error: err.message }))
    return () => abort.abort()
  }, [slug])
  if (!loaded) return <main className="pad muted">Loading…</main>
  if ('error' in loaded)
    return (
      <main className="pad">
        <h1>Could not open quick mode</h1>
        <p className="error">{loaded.error}</p>
      </main>
    )
  return <Quick {...loaded} />
}

function Quick({ campaign, user }: Loaded) {
  const stems = campaign.stems
  const engine = useEngine(
    useMemo(() => stems.map((s) => ({ id: s.id, url: s.audioUrl })), [stems]),
  )
  const [mood, setMood] = useState(0.5)
  const [tempo, setTempo] = useState(0.5)
  const [seed, setSeed] = useState(newSeed)
  const [made, setMade] = useState<Made | null>(null)
  const [busy, setBusy] = useState(false)
  const exporting = useExport({
    save: async () => {
      if (!made?.remixId) throw new Error('Log in to export: the remix is saved first.')
      return { id: made.remixId, version: made.version }
    },
    signedIn: user !== null,
    allowed: made !== null && !made.error,
    notice: campaign.exportNotice,
  })

  useEffect(() => {
    if (engine?.ready && made) engine.setRecipe(made.recipe)
  }, [engine, engine?.ready, made])

  const make = async () => {
    setBusy(true)
    try {
      const { campaign: c, stems: assistStems } = assistInputFrom(campaign)
      const { recipe, proposal } = quickRemix({
        recipe: defaultRecipeFrom(campaign),
        stems: assistStems,
        campaign: c,
        policy: campaign.licence,
        mood,
        tempo,
        seed,
      })
      const title = `${campaign.title} (${proposal.name.toLowerCase()} quick remix)`
      // One quick session is one remix: each new take replaces the last instead of piling up.
      let remixId = made?.remixId ?? null
      let version = made?.version ?? 0
      let error: string | null = null
      if (user) {
        try {
          const saved = remixId
            ? await api.saveRemix(remixId, { title, recipe, version })
            : await api.createRemix({ campaign: campaign.slug, title, recipe })
          remixId = saved.remix.id
          version = saved.remix.version
          // The cover made for it is saved with it: the worker renders it from the plan.
          if (campaign.artworkUrl) {
            const art = await saveArtworkPlan(remixId, quickArtwork(seed))
            version = art.remix.version
          }
        } catch (err) {
          error = `Could not save it: ${(err as Error).message}`
        }
      } else
        writeDraft(`new:${campaign.slug}`, {
          recipe,
          title,
          baseVersion: 0,
          savedAt: new Date().toISOString(),
        })
      setMade({ recipe, name: proposal.name, seed, remixId, version, error })
      if (engine?.ready) {
        engine.setRecipe(recipe)
        engine.seek(0)
        void engine.play()
      }
    } catch (err) {
      setMade({
        recipe: defaultRecipeFrom(campaign),
        name: '',
        seed,
        remixId: made?.remixId ?? null,
        version: made?.version ?? 0,
        error: (err as Error).message,
      })
    } finally {
      setBusy(false)
    }
  }

  const positionOf = useCallback(() => engine?.position ?? 0, [engine])
  const open = () =>
    navigate(made?.remixId ? `/remix/${made.remixId}` : `/c/${campaign.slug}/studio`)

  return (
    <main className="pad quick-page" data-testid="quick-page">
      <p className="eyebrow">
        Quick remix · {campaign.title} by {campaign.artist}
      </p>
      <h1>Make a remix in one click</h1>
      <div className="sliders">
        <label>
          Mood
          <input
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={mood}
            aria-label="Mood"
            onChange={(e) => setMood(Number(e.currentTarget.value))}
          />
          <span className="ends">
            <span>chill</span>
            <span>high-energy</span>
          </span>
        </label>
        <label>
          Tempo
          <input
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={tempo}
            aria-label="Tempo"
            onChange={(e) => setTempo(Number(e.currentTarget.value))}
          />
          <span className="ends">
            <span>slow</span>
            <span>fast</span>
          </span>
        </label>
      </div>
      <p className="muted small">
        {INTENT_NAMES[intentFrom(mood, tempo)]} · seed {seed} · made by the local assistant on this
        campaign’s stems only{' '}
        <button type="button" className="link" onClick={() => setSeed(newSeed())}>
          Another take
        </button>
      </p>
      <button type="button" className="primary" disabled={busy} onClick={() => void make()}>
        {busy ? 'Making…' : 'Make my remix'}
      </button>
      {made && (
        <section aria-label="Your remix" data-testid="quick-result">
          {made.error ? (
            <p className="error" role="alert">
              {made.error}
            </p>
          ) : (
            <p>
              {made.name}: {Math.round(made.recipe.length)} s at {made.recipe.tempo} BPM,{' '}
              {made.recipe.tracks.length} stems
              {made.remixId ? (
                <>
                  , saved to <a href="/me/remixes">My remixes</a>.
                </>
              ) : (
                '. Log in to keep it.'
              )}
            </p>
          )}
          <div className="quick-made">
            <QuickCover campaign={campaign} recipe={made.recipe} seed={made.seed} />
            {engine?.ready && (
              <MixWave
                recipe={made.recipe}
                buffers={engine.buffers()}
                playing={engine.playing}
                positionOf={positionOf}
              />
            )}
          </div>
          <button
            type="button"
            disabled={!engine?.ready}
            onClick={() => (engine?.playing ? engine.pause() : void engine?.play())}
          >
            {engine?.playing ? 'Pause' : 'Play'}
          </button>{' '}
          <button type="button" onClick={open}>
            Open in studio
          </button>{' '}
          <button
            type="button"
            className="primary"
            disabled={exporting.blocked !== null || !made.remixId}
            title={exporting.blocked ?? undefined}
            onClick={exporting.start}
          >
            Export and share
          </button>
          {!user && (
            <>
              {' '}
              <a href={`/login?next=${encodeURIComponent(`/c/${campaign.slug}/quick`)}`}>Log in</a>
            </>
          )}
        </section>
      )}
      {!engine?.ready && <p className="muted small">Loading the stems…</p>}
      {exporting.step.step !== 'idle' && (
        <ExportDialog
          step={exporting.step}
          notice={campaign.exportNotice}
          onStart={exporting.run}
          onClose={exporting.close}
        />
      )}
    </main>
  )
}
