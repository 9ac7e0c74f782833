import { env } from 'cloudflare:test'
import manifestJson from '../../stems/manifest.json'
import { CampaignManifestSchema } from '../../core/campaign/manifest.ts'
import { peaksFrom } from '../../core/audio/peaks.ts'
import { seedCampaign, type SeedInput, type SeedUser } from '../../worker/seed.ts'

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

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
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

export async function seed() {
  return seedCampaign(env, await seedInput())
}
