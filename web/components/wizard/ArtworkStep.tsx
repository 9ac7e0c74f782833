import { useEffect, useState } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import { artistApi } from '../../api-artist.ts'
import { SaveStatus } from './SaveStatus.tsx'
import { useSave } from './useSave.ts'

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp']
const MAX_BYTES = 10 * 1024 * 1024

/** Why an image cannot be sent, or null. The worker checks the bytes again. */
function imageProblem(file: File): string | null {
  if (!IMAGE_TYPES.includes(file.type)) return `${file.name} is not a PNG, JPEG or WebP image.`
  if (file.size > MAX_BYTES) return `${file.name} is over 10 MB. Export a smaller image.`
  return null
}

/** The official artwork, with a preview, and extra official images fans may remix. */
export function ArtworkStep({
  campaign,
  onSaved,
  refresh,
}: {
  campaign: AuthorCampaign
  onSaved: (c: AuthorCampaign) => void
  refresh: () => Promise<void>
}) {
  const [preview, setPreview] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const { state, run } = useSave()
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview])

  async function putArtwork(file: File | undefined) {
    if (!file) return
    const bad = imageProblem(file)
    setProblem(bad)
    if (bad) return
    setPreview(URL.createObjectURL(file))
    const result = await run(() => artistApi.putArtwork(campaign.id, file))
    if (result) onSaved(result.campaign)
    setPreview(null) // the saved artwork, or the one before a refused file
  }

  async function addImages(files: FileList | null) {
    if (!files) return
    const good = [...files].filter((f) => !imageProblem(f))
    const bad = [...files].map(imageProblem).filter((p): p is string => p !== null)
    setProblem(bad.length ? bad.join(' ') : null)
    await run(async () => {
      for (const file of good) await artistApi.addImage(campaign.id, file)
    })
    await refresh()
  }

  async function removeImage(imageId: string) {
    await run(() => artistApi.removeImage(campaign.id, imageId))
    await refresh()
  }

  const shown = preview ?? campaign.artworkUrl
  return (
    <div className="wizard-form">
      <div className="artwork-row">
        <div className="artwork-preview" aria-live="polite">
          {shown ? (
            <img
              src={shown}
              alt="Campaign artwork"
              width={200}
              height={200}
              data-testid="artwork-preview"
            />
          ) : (
            <span className="muted">No artwork yet</span>
          )}
        </div>
        <div>
          <label>
            Official artwork{' '}
            <small className="muted">(PNG, JPEG or WebP, square, up to 10 MB)</small>
            <input
              type="file"
              accept={IMAGE_TYPES.join(',')}
              name="artwork"
              onChange={(e) => void putArtwork(e.currentTarget.files?.[0])}
            />
          </label>
          <p className="muted small">
            Shown on the campaign page, on cards and on every share page.
          </p>
        </div>
      </div>
      <h3>More official images</h3>
      <p className="muted small">Photos, logos or textures fans may use in their remix artwork.</p>
      {campaign.images.length > 0 ? (
        <ul className="image-grid">
          {campaign.images.map((img, i) => (
            <li key={img.id}>
              <img src={img.url} alt={`Official image ${i + 1}`} width={120} height={120} />
              <button type="button" className="link" onClick={() => void removeImage(img.id)}>
                Remove image {i + 1}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">None yet.</p>
      )}
      <label>
        Add images
        <input
          type="file"
          accept={IMAGE_TYPES.join(',')}
          multiple
          name="images"
          onChange={(e) => void addImages(e.currentTarget.files)}
        />
      </label>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <SaveStatus state={state} />
    </div>
  )
}
