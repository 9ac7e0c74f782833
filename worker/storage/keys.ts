// Every R2 key layout, one function each: the only place that knows where an object lives.
// Keys of derived objects are fixed per source, so a retried job overwrites its own output.

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

/** An export's finished file (watermarked WAV or MP3). */
export const exportKey = (exportId: string, format: 'wav' | 'mp3') =>
  `exports/${exportId}/${exportId}.${format}`

/** A campaign's cover and its official images; a remix's cover. */
export const seedArtworkKey = (campaignId: string, name: string) =>
  `campaigns/${campaignId}/${name}`
export const campaignArtworkKey = (campaignId: string, sha256: string, ext: string) =>
  `campaigns/${campaignId}/artwork/${sha256}.${ext}`
export const campaignImageKey = (campaignId: string, imageId: string, ext: string) =>
  `campaigns/${campaignId}/images/${imageId}.${ext}`
export const remixArtworkKey = (remixId: string) => `remixes/${remixId}/artwork.png`
