// `node scripts/seed-synthetic.ts <state> <slug> <stems> <seconds>`: seeds a synthetic campaign (for
// benches: bench:studio's 8 stems × 4 minutes) beside the demo in an already migrated local state,
// the way the demo is (worker/seed.ts through wrangler's platform proxy): 44.1 kHz stereo, 192
// kbit/s MP3 as the ingest's renditions are (LAME, worker/audio/lame.ts), peaks and levels from the
// PCM. Every stem sounds from its first sample, so a meter reading a signal means the studio plays.
// The encoded stems are cached in the system's temporary folder (encoding takes a while).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getPlatformProxy } from 'wrangler'
import { levelsFrom } from '../core/audio/levels.ts'
import { peaksFrom, type Peaks } from '../core/audio/peaks.ts'
import { CampaignManifestSchema, type StemRole } from '../core/campaign/manifest.ts'
import { sha256Hex } from '../core/lib/bytes.ts'
import { seededRandom } from '../core/lib/random.ts'
import { createMp3EncoderFrom } from '../worker/audio/lame.ts'
import type { Bindings } from '../worker/env.ts'
import { seedCampaign, type SeedInput, type SeedStem } from '../worker/seed.ts'
import { DEMO_ARTIST } from './demo-accounts.ts'
import { root } from './state.ts'

const RATE = 44_100
const KBPS = 192
const BLOCK = 1152 * 32

const ROLES: StemRole[] = ['drums', 'bass', 'keys', 'pads', 'guitar', 'lead', 'vocals', 'fx']

/** Stem `k`: a chord of partials under a beat-rate swell, and a noise hit on every beat. */
function synthesize(k: number, seconds: number): Float32Array[] {
  const n = RATE * seconds
  const left = new Float32Array(n)
  const right = new Float32Array(n)
  const random = seededRandom(0x5eed + k)
  const f = 55 * 2 ** ((k * 5) / 12)
  const beat = (RATE * 60) / 100
  for (let i = 0; i < n; i++) {
    const t = i / RATE
    const phase = (i % beat) / beat
    const swell = 0.6 + 0.4 * Math.cos(2 * Math.PI * phase)
    const tone =
      Math.sin(2 * Math.PI * f * t) +
      0.5 * Math.sin(2 * Math.PI * f * 1.5 * t) +
      0.25 * Math.sin(2 * Math.PI * f * 2.01 * t)
    const hit = (random() * 2 - 1) * Math.exp(-phase * 30)
    const v = 0.08 * swell * tone + 0.05 * hit
    left[i] = v
    right[i] = 0.9 * v + 0.02 * Math.sin(2 * Math.PI * (f + 0.5) * t)
  }
  return [left, right]
}

async function encode(pcm: Float32Array[]): Promise<Uint8Array> {
  // Node compiles WebAssembly (the workers' types, which this folder is checked with, say not)
  const { compile } = WebAssembly as unknown as {
    compile(b: Uint8Array): Promise<WebAssembly.Module>
  }
  const wasm = await compile(readFileSync(join(root, 'worker/wasm/lame-mp3.wasm')))
  const encoder = await createMp3EncoderFrom(wasm, { sampleRate: RATE, channels: 2, kbps: KBPS })
  const parts: Uint8Array[] = []
  for (let at = 0; at < pcm[0]!.length; at += BLOCK)
    parts.push(encoder.encode(pcm.map((c) => c.subarray(at, at + BLOCK))).slice())
  parts.push(encoder.finish().slice())
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
  let offset = 0
  for (const p of parts) out.set(p, (offset += p.length) - p.length)
  return out
}

type Cached = { peaks: Peaks; peakDbfs: number; rmsDbfs: number; length: number }

/** Stem `k`'s MP3 and measures, from the cache or made now. */
async function stem(k: number, seconds: number): Promise<{ bytes: Uint8Array } & Cached> {
  const cache = join(tmpdir(), `stemfair-synthetic-v1-${seconds}s`)
  const mp3 = join(cache, `${k}.mp3`)
  const meta = join(cache, `${k}.json`)
  if (!existsSync(mp3) || !existsSync(meta)) {
    mkdirSync(cache, { recursive: true })
    const pcm = synthesize(k, seconds)
    const cached: Cached = {
      peaks: peaksFrom(pcm, RATE),
      ...levelsFrom(pcm),
      length: pcm[0]!.length,
    }
    writeFileSync(mp3, await encode(pcm))
    writeFileSync(meta, JSON.stringify(cached))
  }
  return {
    bytes: new Uint8Array(readFileSync(mp3)),
    ...(JSON.parse(readFileSync(meta, 'utf8')) as Cached),
  }
}

/** The seed input: the demo's licence and owner, `count` stems of `seconds`. */
async function syntheticInput(slug: string, count: number, seconds: number): Promise<SeedInput> {
  const demo = JSON.parse(readFileSync(join(root, 'stems/manifest.json'), 'utf8')) as {
    licence: { uid: string }
    credits: unknown
    stems: { rightsHolders: string[] }[]
  }
  const holders = demo.stems[0]!.rightsHolders
  const ids = Array.from({ length: count }, (_, k) => `${ROLES[k % ROLES.length]}-${k + 1}`)
  const manifest = CampaignManifestSchema.parse({
    ...demo,
    slug,
    title: `Synthetic ${count} × ${seconds} s`,
    description: `${count} synthetic stems of ${seconds} seconds each, for benches.`,
    iswc: undefined,
    licence: { ...demo.licence, uid: `urn:stemfair:licence:${slug}:1` },
    stems: ids.map((id, k) => ({
      id,
      name: `Stem ${k + 1}`,
      role: ROLES[k % ROLES.length],
      isVoice: false,
      file: `audio/${id}.mp3`,
      rightsHolders: holders,
    })),
    splits: {
      fanCreatorBps: 1000,
      stems: ids.map((stem) => ({
        stem,
        shares: holders.map((party, i) => ({ party, bps: i === 0 ? 7000 : 3000 })),
      })),
    },
  })
  const stems: SeedStem[] = []
  for (let k = 0; k < count; k++) {
    const s = await stem(k, seconds)
    stems.push({
      manifest: manifest.stems[k]!,
      bytes: s.bytes,
      contentType: 'audio/mpeg',
      sha256: await sha256Hex(s.bytes),
      sampleRate: RATE,
      channels: 2,
      lengthSamples: s.length,
      peaks: s.peaks,
      analysis: { tempo: 100, key: 'D minor', peakDbfs: s.peakDbfs, rmsDbfs: s.rmsDbfs },
    })
  }
  const artwork = readFileSync(join(root, 'stems/artwork.jpg'))
  return {
    manifest,
    owner: DEMO_ARTIST,
    users: [],
    artwork: { bytes: new Uint8Array(artwork), contentType: 'image/jpeg', name: 'artwork.jpg' },
    stems,
  }
}

/** Seeds the campaign into the local state at `state` (already migrated). */
async function seedSynthetic(state: string, slug: string, count: number, seconds: number) {
  const input = await syntheticInput(slug, count, seconds)
  const proxy = await getPlatformProxy<Bindings>({
    configPath: join(root, 'wrangler.toml'),
    persist: { path: `${state}/v3` },
  })
  try {
    await seedCampaign(proxy.env, input)
  } finally {
    await proxy.dispose()
  }
}

const [state, slug, count, seconds] = process.argv.slice(2)
if (!state || !slug || !(Number(count) > 0) || !(Number(seconds) > 0))
  throw new Error('usage: node scripts/seed-synthetic.ts <state> <slug> <stems> <seconds>')
await seedSynthetic(state, slug, Number(count), Number(seconds))
console.log(`seeded ${slug}: ${count} stems × ${seconds} s`)
