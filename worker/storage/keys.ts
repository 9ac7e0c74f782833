// Every R2 key layout, one function each: the only place that knows where an object lives.
// Keys of derived objects are fixed per source, so a retried job overwrites its own output.
import { FORMAT_INFO, type OutputFormat } from '../../core/api/formats.ts'

type StemRef = { campaign_id: string; id: string }

/** An uploaded master (stem or reference mix) as the artist's browser sent it. */
export const masterKey = (campaignId: string, uploadId: string) =>
  `masters/${campaignId}/${uploadId}`

/** A processed stem's 192 kbit/s MP3 rendition, which fans stream. */
export const renditionKey = (stem: StemRef) => `stems/${stem.campaign_id}/${stem.id}/rendition.mp3`

/** A processed stem's waveform peaks (JSON). */
export const peaksKey = (stem: StemRef) => `peaks/${stem.campaign_id}/${stem.id}/peaks.json`

/** A stem's mono analysis copy (float32 at `analysisCopyRate`), read when the campaign is analysed. */
export const analysisCopyKey = (stem: StemRef) => `analysis/${stem.campaign_id}/${stem.id}/mono.f32`

/** A stem's notes (core/api/notes.ts's StemNotesFile, JSON), named by the audio's SHA-256. */
export const notesKey = (stem: StemRef & { sha256: string }) =>
  `notes/${stem.campaign_id}/${stem.id}/${stem.sha256}.json`

/** Every object a stem's ingest writes: deleted together when it fails. */
export const ingestOutputKeys = (stem: StemRef) => [
  renditionKey(stem),
  peaksKey(stem),
  analysisCopyKey(stem),
]

/** A seeded (demo) stem's audio and peaks, named by the file's SHA-256. */
export const seedStemKey = (campaignId: string, stemId: string, sha256: string, ext: string) =>
  `stems/${campaignId}/${stemId}/${sha256}.${ext}`
export const seedPeaksKey = (campaignId: string, stemId: string, sha256: string) =>
  `peaks/${campaignId}/${stemId}/${sha256}.json`

/** Where every object of an export lives: a failed export deletes all that is under it. */
export const exportPrefix = (exportId: string) => `exports/${exportId}/`

/** An export's finished file in one format (core/api/formats.ts; the WAV and MP3 as before). */
export const exportKey = (exportId: string, format: OutputFormat) =>
  `${exportPrefix(exportId)}${exportId}${FORMAT_INFO[format].suffix}`

/** One stem's WAV while the job renders, before it goes into the stems zip (then deleted). */
export const exportStemKey = (exportId: string, index: number) =>
  `${exportPrefix(exportId)}stems/${index}.wav`

/** A campaign's cover and its official images; a remix's cover. */
export const seedArtworkKey = (campaignId: string, name: string) =>
  `campaigns/${campaignId}/${name}`
export const campaignArtworkKey = (campaignId: string, sha256: string, ext: string) =>
  `campaigns/${campaignId}/artwork/${sha256}.${ext}`
export const campaignImageKey = (campaignId: string, imageId: string, ext: string) =>
  `campaigns/${campaignId}/images/${imageId}.${ext}`
export const remixArtworkKey = (remixId: string) => `remixes/${remixId}/artwork.png`
