// Reads the demo campaign from stems/ into a SeedInput: validates the manifest, decodes every stem
// once (MP3 via mpg123's WebAssembly build) to measure length, levels and peaks, then analyses the
// stems together (core/analysis: grid, key, sections and loudness of the mix; each stem's loudness
// and activity).
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MPEGDecoder } from 'mpg123-decoder'
import { StemNotesFile } from '../core/api/notes.ts'
import { CampaignManifestSchema } from '../core/campaign/manifest.ts'
import { peaksFrom } from '../core/audio/peaks.ts'
import { levelsFrom } from '../core/audio/levels.ts'
import { sha256Hex } from '../core/lib/bytes.ts'
import { analyseStems } from '../core/analysis/analyse.ts'
import { monoOf } from '../core/fingerprint/fingerprint.ts'
import type { SeedInput, SeedStem } from '../worker/seed.ts'
import { printOf } from '../worker/fingerprint/index-stem.ts'
import { DEMO_ADMIN, DEMO_ARTIST, DEMO_FAN } from './demo-accounts.ts'

const CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
}

function contentTypeOf(file: string): string {
  const type = CONTENT_TYPES[file.split('.').pop()!.toLowerCase()]
  if (!type) throw new Error(`unsupported file type: ${file}`)
  return type
}

type DecodedStem = Omit<SeedStem, 'analysis'> & {
  pcm: Float32Array[]
  levels: ReturnType<typeof levelsFrom>
}

async function stemFrom(
  dir: string,
  manifest: SeedInput['manifest'],
  i: number,
): Promise<DecodedStem> {
  const entry = manifest.stems[i]!
  const bytes = new Uint8Array(await readFile(join(dir, entry.file)))
  const decoder = new MPEGDecoder()
  await decoder.ready
  try {
    const { channelData, samplesDecoded, sampleRate, errors } = decoder.decode(bytes)
    if (errors.length) throw new Error(`${entry.file}: ${errors[0]!.message}`)
    if (sampleRate !== manifest.sampleRate)
      throw new Error(
        `${entry.file} is ${sampleRate} Hz; the campaign is ${manifest.sampleRate} Hz`,
      )
    return {
      manifest: entry,
      bytes,
      contentType: contentTypeOf(entry.file),
      sha256: await sha256Hex(bytes),
      sampleRate,
      channels: channelData.length,
      lengthSamples: samplesDecoded,
      peaks: peaksFrom(channelData, sampleRate),
      pcm: channelData,
      levels: levelsFrom(channelData),
    }
  } finally {
    decoder.free()
  }
}

/** Everything `seedCampaign` needs for the campaign in `dir`. */
export async function seedInputFrom(dir: string): Promise<SeedInput> {
  const manifest = CampaignManifestSchema.parse(
    JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')),
  )
  const decoded = await Promise.all(manifest.stems.map((_, i) => stemFrom(dir, manifest, i)))
  const analysis = analyseStems(
    decoded.map((s) => ({ id: s.manifest.id, channels: s.pcm })),
    manifest.sampleRate,
  )
  const notes = new Map<string, StemNotesFile>()
  for (const { id } of manifest.stems) {
    const file = join(dir, 'notes', `${id}.json`)
    if (existsSync(file))
      notes.set(id, StemNotesFile.parse(JSON.parse(await readFile(file, 'utf8'))))
  }
  const stems = decoded.map(({ pcm, levels, ...stem }): SeedStem => {
    const measures = analysis.stems.get(stem.manifest.id)!
    return {
      ...stem,
      notes: notes.get(stem.manifest.id),
      print: printOf(monoOf(pcm), stem.sampleRate),
      pcm,
      analysis: {
        tempo: analysis.campaign.tempo,
        key: analysis.campaign.key ?? manifest.key,
        ...levels,
        loudness: measures.loudness,
        activity: measures.activity,
      },
    }
  })
  const artwork = {
    bytes: new Uint8Array(await readFile(join(dir, manifest.artwork))),
    contentType: contentTypeOf(manifest.artwork),
    name: manifest.artwork,
  }
  return {
    manifest,
    owner: DEMO_ARTIST,
    users: [DEMO_FAN, DEMO_ADMIN],
    artwork,
    stems,
    analysis: analysis.campaign,
  }
}
