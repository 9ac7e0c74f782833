import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import { artistApi, type CampaignPatch } from '../../api-artist.ts'
import { SaveStatus } from './SaveStatus.tsx'
import { isoFromLocalInput, localInputFrom, slugFrom } from './steps.ts'
import { codeOf, useSave } from './useSave.ts'

type Fields = {
  title: string
  slug: string
  description: string
  artist: string
  opensAt: string // datetime-local
  closesAt: string
  tempo: string
  musicalKey: string
}

const DAY_MS = 86_400_000
const AUTOSAVE_MS = 1500

function fieldsFrom(c: AuthorCampaign | null): Fields {
  if (!c) {
    const now = new Date()
    now.setSeconds(0, 0)
    return {
      title: '',
      slug: '',
      description: '',
      artist: '',
      opensAt: localInputFrom(now.toISOString()),
      closesAt: localInputFrom(new Date(now.getTime() + 30 * DAY_MS).toISOString()),
      tempo: '',
      musicalKey: '',
    }
  }
  return {
    title: c.title,
    slug: c.slug,
    description: c.description,
    artist: c.artist,
    opensAt: localInputFrom(c.opensAt),
    closesAt: localInputFrom(c.closesAt),
    tempo: c.tempo ? String(c.tempo) : '',
    musicalKey: c.musicalKey ?? '',
  }
}

/** What of the form differs from the saved campaign, as a PATCH body. */
function patchFrom(f: Fields, c: AuthorCampaign | null): CampaignPatch {
  const patch: CampaignPatch = {}
  if (f.title.trim() && f.title.trim() !== c?.title) patch.title = f.title.trim()
  if (f.description !== (c?.description ?? '')) patch.description = f.description
  if (f.artist.trim() && f.artist.trim() !== c?.artist) patch.artist = f.artist.trim()
  // Compared as the inputs show them (to the minute), so an untouched date is never rewritten.
  const opens = isoFromLocalInput(f.opensAt)
  const closes = isoFromLocalInput(f.closesAt)
  if (opens && f.opensAt !== localInputFrom(c?.opensAt ?? null)) patch.opensAt = opens
  if (closes && f.closesAt !== localInputFrom(c?.closesAt ?? null)) patch.closesAt = closes
  const tempo = Number(f.tempo)
  if (f.tempo && Number.isFinite(tempo) && tempo !== c?.tempo) patch.tempo = tempo
  if (f.musicalKey.trim() && f.musicalKey.trim() !== (c?.musicalKey ?? ''))
    patch.musicalKey = f.musicalKey.trim()
  return patch
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Title, address, description, artist name and the window; creates the draft, then saves on blur. */
export function DetailsStep({
  campaign,
  onSaved,
  onCreated,
}: {
  campaign: AuthorCampaign | null
  onSaved: (c: AuthorCampaign) => void
  onCreated: (c: AuthorCampaign) => void
}) {
  const [fields, setFields] = useState<Fields>(() => fieldsFrom(campaign))
  const [slugEdited, setSlugEdited] = useState(campaign !== null)
  const slugInput = useRef<HTMLInputElement>(null)
  const { state, run } = useSave()
  const isNew = campaign === null

  const set = (name: keyof Fields) => (value: string) =>
    setFields((f) => {
      const next = { ...f, [name]: value }
      if (name === 'title' && isNew && !slugEdited) next.slug = slugFrom(value)
      return next
    })

  const windowProblem =
    fields.opensAt && fields.closesAt && fields.closesAt <= fields.opensAt
      ? 'The campaign must close after it opens.'
      : null
  const slugProblem =
    codeOf(state) === 'slug_taken'
      ? `The address /c/${fields.slug} is taken. Choose another.`
      : fields.slug && !SLUG.test(fields.slug)
        ? 'Use lowercase letters, digits and single hyphens.'
        : null

  async function save() {
    if (isNew || windowProblem) return
    const patch = patchFrom(fields, campaign)
    if (Object.keys(patch).length === 0) return
    const result = await run(() => artistApi.update(campaign.id, patch))
    if (result) onSaved(result.campaign)
  }

  // Saves a moment after typing stops, as well as on blur and with the Save button.
  const latestSave = useRef(save)
  latestSave.current = save
  useEffect(() => {
    if (isNew) return
    const timer = setTimeout(() => void latestSave.current(), AUTOSAVE_MS)
    return () => clearTimeout(timer)
  }, [fields, isNew])

  async function create(e: FormEvent) {
    e.preventDefault()
    if (!isNew) return void save()
    if (!fields.title.trim() || !SLUG.test(fields.slug) || windowProblem) return
    const result = await run(async () => {
      const { campaign: created } = await artistApi.create({
        slug: fields.slug,
        title: fields.title.trim(),
        description: fields.description,
        ...(fields.artist.trim() ? { artist: fields.artist.trim() } : {}),
      })
      const patch = patchFrom(fields, created)
      if (Object.keys(patch).length === 0) return created
      return (await artistApi.update(created.id, patch)).campaign
    })
    if (result) onCreated(result)
    else if (slugInput.current) slugInput.current.focus()
  }

  const field = (name: keyof Fields) => ({
    value: fields[name],
    onChange: (e: { currentTarget: { value: string } }) => set(name)(e.currentTarget.value),
    onBlur: () => void save(),
  })

  return (
    <form className="wizard-form" onSubmit={create} noValidate>
      <label>
        Title
        <input {...field('title')} name="title" required maxLength={200} autoFocus={isNew} />
      </label>
      <label>
        Address
        <span className="slug-field">
          <span className="muted">/c/</span>
          <input
            {...field('slug')}
            ref={slugInput}
            name="slug"
            required
            disabled={!isNew}
            aria-invalid={slugProblem ? true : undefined}
            aria-describedby="slug-help"
            onChange={(e) => {
              setSlugEdited(true)
              set('slug')(e.currentTarget.value)
            }}
          />
        </span>
        <small
          id="slug-help"
          className={slugProblem ? 'error' : 'muted'}
          role={slugProblem ? 'alert' : undefined}
          data-testid="slug-help"
        >
          {slugProblem ??
            (isNew
              ? 'The campaign page’s address; it cannot change once created.'
              : 'The address cannot change.')}
        </small>
      </label>
      <label>
        Description
        <textarea {...field('description')} name="description" rows={4} maxLength={4000} />
      </label>
      <label>
        Artist name <small className="muted">(as fans see it; your account name if empty)</small>
        <input {...field('artist')} name="artist" maxLength={200} />
      </label>
      <fieldset className="wizard-row">
        <legend>Window for remixes</legend>
        <label>
          Opens
          <input {...field('opensAt')} type="datetime-local" name="opensAt" />
        </label>
        <label>
          Closes
          <input
            {...field('closesAt')}
            type="datetime-local"
            name="closesAt"
            aria-invalid={windowProblem ? true : undefined}
          />
        </label>
        {windowProblem && (
          <p className="error" role="alert">
            {windowProblem}
          </p>
        )}
      </fieldset>
      <fieldset className="wizard-row">
        <legend>Music (optional; helps the studio’s grid)</legend>
        <label>
          Tempo (BPM)
          <input {...field('tempo')} type="number" min={20} max={300} step={0.01} name="tempo" />
        </label>
        <label>
          Key
          <input
            {...field('musicalKey')}
            name="musicalKey"
            placeholder="e.g. A minor"
            maxLength={20}
          />
        </label>
      </fieldset>
      <div className="wizard-actions">
        <button type="submit" className="primary">
          {isNew ? 'Create draft' : 'Save'}
        </button>
        <SaveStatus
          state={
            state.status === 'error' && codeOf(state) === 'slug_taken' ? { status: 'idle' } : state
          }
        />
      </div>
    </form>
  )
}
