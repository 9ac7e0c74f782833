import { useCallback, useEffect, useState } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import { api } from '../../api.ts'
import { ApiError } from '../../request.ts'
import { artistApi } from '../../api-artist.ts'
import { VerificationPanel } from '../../components/consent/VerificationPanel.tsx'
import { ArtworkStep } from '../../components/wizard/ArtworkStep.tsx'
import { DetailsStep } from '../../components/wizard/DetailsStep.tsx'
import { LicenceStep } from '../../components/wizard/LicenceStep.tsx'
import { ReviewStep } from '../../components/wizard/ReviewStep.tsx'
import { SplitsStep } from '../../components/wizard/SplitsStep.tsx'
import { StemsStep } from '../../components/wizard/StemsStep.tsx'
import { WizardNav } from '../../components/wizard/WizardNav.tsx'
import { nextStep, STEPS, wizardPath, type WizardStep } from '../../components/wizard/steps.ts'
import '../../components/wizard/wizard.css'
import { navigate } from '../../store/route.ts'

type State =
  | { status: 'fetching' }
  | { status: 'ready'; campaign: AuthorCampaign | null }
  | { status: 'error'; error: ApiError | Error }

/** The artist's campaign wizard: one URL per step of one campaign, saved as it goes. */
export function CampaignWizard({ id, step }: { id: string | null; step: WizardStep }) {
  const [state, setState] = useState<State>({ status: 'fetching' })

  useEffect(() => {
    const abort = new AbortController()
    const load = async (): Promise<State> => {
      if (id)
        return { status: 'ready', campaign: (await artistApi.campaign(id, abort.signal)).campaign }
      const { user } = await api.me(abort.signal)
      if (!user) throw new ApiError(401, 'unauthorized', 'Log in first.')
      if (user.role === 'fan')
        throw new ApiError(403, 'artists_only', 'Campaigns are made from artist accounts.')
      return { status: 'ready', campaign: null }
    }
    load()
      .then(setState)
      .catch((error: Error) => !abort.signal.aborted && setState({ status: 'error', error }))
    return () => abort.abort()
  }, [id])

  const refresh = useCallback(async () => {
    if (!id) return
    try {
      const { campaign } = await artistApi.campaign(id)
      setState({ status: 'ready', campaign })
    } catch {
      // keep what is shown; the next save or poll tries again
    }
  }, [id])
  const saved = useCallback(
    (campaign: AuthorCampaign) => setState({ status: 'ready', campaign }),
    [],
  )

  useEffect(() => {
    const label = STEPS.find((s) => s.id === step)?.label
    document.title = `${label} · Campaign · Stemfair`
  }, [step])

  if (state.status === 'fetching') return <main className="pad muted">Loading the campaign…</main>
  if (state.status === 'error') return <WizardError error={state.error} />
  const { campaign } = state
  const next = nextStep(step)

  return (
    <main className="pad wizard" data-testid="wizard" data-step={step}>
      <p className="eyebrow">
        <a href="/console" onClick={(e) => (e.preventDefault(), navigate('/console'))}>
          Console
        </a>{' '}
        › {campaign ? 'Campaign' : 'New campaign'}
      </p>
      <h1>
        {campaign?.title || 'New campaign'}{' '}
        {campaign && (
          <span className={`badge ${campaign.status}`} data-testid="campaign-status">
            {campaign.status}
          </span>
        )}
      </h1>
      <VerificationPanel />
      <div className="wizard-layout">
        <WizardNav
          id={campaign?.id ?? null}
          step={campaign ? step : 'details'}
          missing={campaign?.status === 'draft' ? campaign.missing : []}
        />
        <section className="wizard-step" aria-labelledby="step-head">
          <h2 id="step-head">{STEPS.find((s) => s.id === (campaign ? step : 'details'))!.label}</h2>
          {!campaign || step === 'details' ? (
            <DetailsStep
              key={campaign?.id ?? 'new'}
              campaign={campaign}
              onSaved={saved}
              onCreated={(c) => {
                setState({ status: 'ready', campaign: c })
                navigate(wizardPath(c.id, 'artwork'))
              }}
            />
          ) : step === 'artwork' ? (
            <ArtworkStep campaign={campaign} onSaved={saved} refresh={refresh} />
          ) : step === 'stems' ? (
            <StemsStep campaign={campaign} refresh={refresh} />
          ) : step === 'licence' ? (
            <LicenceStep campaign={campaign} onSaved={saved} />
          ) : step === 'splits' ? (
            <SplitsStep campaign={campaign} onSaved={saved} />
          ) : (
            <ReviewStep campaign={campaign} onSaved={saved} />
          )}
          {campaign && next && (
            <p className="wizard-next">
              <a
                className="button"
                href={wizardPath(campaign.id, next)}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(wizardPath(campaign.id, next))
                }}
              >
                Next: {STEPS.find((s) => s.id === next)!.label}
              </a>
            </p>
          )}
        </section>
      </div>
    </main>
  )
}

function WizardError({ error }: { error: Error }) {
  const status = error instanceof ApiError ? error.status : 0
  return (
    <main className="pad">
      <h1>Campaign</h1>
      {status === 401 ? (
        <p>
          <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</a> as an artist
          to edit your campaigns.
        </p>
      ) : status === 403 ? (
        <p className="error">
          {error instanceof ApiError && error.code === 'artists_only'
            ? 'Campaigns are made from artist accounts. Sign up as an artist to launch one.'
            : 'This campaign belongs to another account.'}
        </p>
      ) : status === 404 ? (
        <p className="error">There is no such campaign.</p>
      ) : (
        <p className="error">Could not load the campaign: {error.message}</p>
      )}
      <a href="/console">Back to the console</a>
    </main>
  )
}
