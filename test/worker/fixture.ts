import { env } from 'cloudflare:test'
import manifestJson from '../../stems/manifest.json'
import { CampaignManifestSchema } from '../../core/campaign/manifest.ts'
import { peaksFrom } from '../../core/audio/peaks.ts'
import { encodeWav } from '../../core/audio/wav.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import { seedCampaign, stemIdFor, type SeedInput, type SeedUser } from '../../worker/seed.ts'

export const manifest = CampaignManifestSchema.parse(manifestJson)

export const ARTIST: SeedUser = {
  email: 'artist@example.test',
  displayName: 'Test Artist',
  role: 'artist',
  password: 'artist-password-1',
}
export const FAN: SeedUser = {
  email: 'fan@example.test',
  displayName: 'Test Fan',
  role: 'fan',
  password: 'fan-password-1',
}

/** Distinct bytes per stem, so a range read can be checked byte for byte. */
export function stemBytes(index: number, size = 10_000): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + index * 7) % 251
  return bytes
}

/** The real demo manifest with small synthetic stems: what the seed does, fast. */
export async function seedInput(): Promise<SeedInput> {
  const pcm = new Float32Array(4410)
  for (let i = 0; i < pcm.length; i++) pcm[i] = 0.5 * Math.sin((2 * Math.PI * 220 * i) / 44100)
  const stems = await Promise.all(
    manifest.stems.map(async (entry, i) => {
      const bytes = stemBytes(i)
      return {
        manifest: entry,
        bytes,
        contentType: 'audio/mpeg',
        sha256: await sha256Hex(bytes),
        sampleRate: 44100,
        channels: 2,
        lengthSamples: pcm.length,
        peaks: peaksFrom([pcm, pcm], 44100),
        analysis: { tempo: manifest.tempo, key: manifest.key, peakDbfs: -6.02, rmsDbfs: -9.03 },
      }
    }),
  )
  const artwork = {
    bytes: new TextEncoder().encode('<svg/>'),
    contentType: 'image/svg+xml',
    name: 'artwork.svg',
  }
  return { manifest, owner: ARTIST, users: [FAN], artwork, stems }
}

/**
 * A stem's test master: partials across the watermark's band and seeded noise, different per
 * stem, at -12 dBFS or so, so an export of it carries a readable watermark.
 */
export function masterAudio(index: number, frames: number, sampleRate = 44100): Float32Array[] {
  let seed = 0x9e3779b9 ^ (index * 0x85ebca6b)
  const noise = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed / 2 ** 31 - 1
  }
  return [0, 1].map((ch) => {
    const pcm = new Float32Array(frames)
    for (let i = 0; i < frames; i++) {
      const t = i / sampleRate
      let v = 0.3 * noise()
      for (let k = 1; k <= 6; k++)
        v += (0.12 / k) * Math.sin(2 * Math.PI * (110 * (index + 1) * k + 37 * ch) * t)
      pcm[i] = 0.35 * v
    }
    return pcm
  })
}

/** Gives a seeded stem a lossless master (a float WAV in R2): what the export job renders from. */
export async function installMaster(stemId: string, channels: Float32Array[], sampleRate = 44100) {
  const key = `masters/test/${stemId}.wav`
  await env.MEDIA.put(key, encodeWav(channels, sampleRate, { encoding: 'float32' }))
  await env.DB.prepare('UPDATE stems SET master_key = ?2, length_samples = ?3 WHERE id = ?1')
    .bind(stemId, key, channels[0]!.length)
    .run()
  return key
}

/** Seeds a campaign whose stems have masters of their stated length. */
export async function seedWithMasters(input: SeedInput) {
  const result = await seedCampaign(env, input)
  for (const [i, stem] of input.stems.entries())
    await installMaster(
      stemIdFor(input.manifest.slug, stem.manifest.id),
      masterAudio(i, stem.lengthSamples, stem.sampleRate),
      stem.sampleRate,
    )
  return result
}

export async function seed() {
  return seedWithMasters(await seedInput())
}
