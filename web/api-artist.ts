import type { AuthorCampaign, AuthorStem, UploadKind, UploadView } from '../core/api/authoring.ts'
import type { CampaignImage, LicenceVersionView } from '../core/api/campaigns.ts'
import type { Contributor, Splits } from '../core/credits/splits.ts'
import type { LicencePolicyInput, LicencePreset } from '../core/licence/presets.ts'
import { jsonInit, request, upload as sendUpload } from './request.ts'

export type { UploadKind, UploadView }

/** What completing an upload answers: the stem being ingested, or the reference mix. */
export type UploadResult = { stem: AuthorStem } | { reference: { fileName: string } }

/** The editable details of a campaign. */
export type CampaignPatch = Partial<{
  title: string
  description: string
  artist: string
  opensAt: string
  closesAt: string
  tempo: number
  musicalKey: string
  timeSignature: [number, number]
}>

/** The editable fields of a stem. */
export type StemPatch = Partial<{
  name: string
  role: AuthorStem['role']
  isVoice: boolean
  isrc: string | null
  rightsHolders: string[]
}>

const send = (method: string, body: unknown): RequestInit => jsonInit(body, method)
const raw = (method: string, body: Blob): RequestInit => ({
  method,
  headers: { 'Content-Type': body.type || 'application/octet-stream' },
  body,
})

const base = '/api/artist'
const campaign = (id: string) => `${base}/campaigns/${encodeURIComponent(id)}`
const upload = (id: string) => `${base}/uploads/${encodeURIComponent(id)}`
type One = { campaign: AuthorCampaign }

/** Typed client of the artist's campaign and upload routes. */
export const artistApi = {
  campaigns: (signal?: AbortSignal) =>
    request<{ campaigns: AuthorCampaign[] }>(`${base}/campaigns`, undefined, signal),
  campaign: (id: string, signal?: AbortSignal) => request<One>(campaign(id), undefined, signal),
  create: (body: { slug: string; title: string; description: string; artist?: string }) =>
    request<One>(`${base}/campaigns`, send('POST', body)),
  update: (id: string, patch: CampaignPatch) => request<One>(campaign(id), send('PATCH', patch)),
  putArtwork: (id: string, image: Blob) =>
    request<One>(`${campaign(id)}/artwork`, raw('PUT', image)),
  addImage: (id: string, image: Blob) =>
    request<{ image: CampaignImage }>(`${campaign(id)}/images`, raw('POST', image)),
  removeImage: (id: string, imageId: string) =>
    request<void>(`${campaign(id)}/images/${encodeURIComponent(imageId)}`, { method: 'DELETE' }),
  putLicence: (id: string, policy: LicencePolicyInput) =>
    request<One>(`${campaign(id)}/licence`, send('PUT', { policy })),
  licenceVersions: (id: string, signal?: AbortSignal) =>
    request<{ versions: LicenceVersionView[] }>(
      `${campaign(id)}/licence/versions`,
      undefined,
      signal,
    ),
  putSplits: (id: string, splits: Splits, credits: Contributor[]) =>
    request<One>(`${campaign(id)}/splits`, send('PUT', { splits, credits })),
  updateStem: (id: string, stemId: string, patch: StemPatch) =>
    request<{ stem: AuthorStem }>(
      `${campaign(id)}/stems/${encodeURIComponent(stemId)}`,
      send('PATCH', patch),
    ),
  removeStem: (id: string, stemId: string) =>
    request<void>(`${campaign(id)}/stems/${encodeURIComponent(stemId)}`, { method: 'DELETE' }),
  retryIngest: (stemId: string) =>
    request<{ stem: AuthorStem }>(`${base}/stems/${encodeURIComponent(stemId)}/ingest`, {
      method: 'POST',
    }),
  publish: (id: string) => request<One>(`${campaign(id)}/publish`, { method: 'POST' }),
  close: (id: string) => request<One>(`${campaign(id)}/close`, { method: 'POST' }),
  presets: (signal?: AbortSignal) =>
    request<{ presets: LicencePreset[] }>('/api/licence/presets', undefined, signal),

  createUpload: (id: string, body: { fileName: string; size: number; kind: UploadKind }) =>
    request<{ upload: UploadView }>(`${campaign(id)}/uploads`, send('POST', body)),
  upload: (uploadId: string, signal?: AbortSignal) =>
    request<{ upload: UploadView }>(upload(uploadId), undefined, signal),
  completeUpload: (uploadId: string) =>
    request<UploadResult>(`${upload(uploadId)}/complete`, { method: 'POST' }),
  abortUpload: (uploadId: string) => request<void>(upload(uploadId), { method: 'DELETE' }),
  putPart,
}

/** Sends one part of a multipart upload, reporting the bytes sent so far. */
function putPart(
  uploadId: string,
  part: number,
  bytes: Blob,
  onProgress: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<{ part: number; etag: string }> {
  return sendUpload('PUT', `${upload(uploadId)}/parts/${part}`, bytes, 'application/octet-stream', {
    onProgress,
    signal,
  })
}
