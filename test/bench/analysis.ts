// Analysis speed on the demo campaign: decode the five stems (as the seed does), then time
// analyseStems (grid, key and sections of the mix; loudness of the mix and of each stem; activity).
// `npm run bench:analysis`; bench:assist imports benchAnalysis.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MPEGDecoder } from 'mpg123-decoder'
import { analyseStems, mixFrom, type StemAudio } from '../../core/analysis/analyse.ts'
import { loudnessFrom } from '../../core/analysis/loudness.ts'
import { analyseMix } from '../../core/analysis/mix.ts'
import { CampaignManifestSchema } from '../../core/campaign/manifest.ts'
import { root } from '../../scripts/state.ts'

export type AnalysisBench = {
  stems: number
  songMinutes: number
  /** Median wall time of one whole analysis, seconds. */
  seconds: number
  /** Median CPU time (user + system) of one whole analysis, seconds: the wall time on an idle core. */
  cpuSeconds: number
  /** Seconds of analysis per minute of song (all stems together). */
  perSongMinute: number
  /** Seconds of analysis per minute of stem audio (each stem's minutes counted). */
  perStemMinute: number
  /** Of `seconds`: the mix's grid, key and sections; loudness of mix and stems. */
  mixSeconds: number
  loudnessSeconds: number
  tempo: number
  key: string | null
}

async function demoStems(): Promise<{ stems: StemAudio[]; sampleRate: number }> {
  const dir = join(root, 'stems')
  const manifest = CampaignManifestSchema.parse(
    JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')),
  )
  const stems: StemAudio[] = []
  for (const entry of manifest.stems) {
    const decoder = new MPEGDecoder()
    await decoder.ready
    const { channelData } = decoder.decode(new Uint8Array(await readFile(join(dir, entry.file))))
    decoder.free()
    stems.push({ id: entry.id, channels: channelData })
  }
  return { stems, sampleRate: manifest.sampleRate }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const since = (t0: number) => (performance.now() - t0) / 1000

/** Times the analysis of the demo stems `runs` times; figures are medians. */
export async function benchAnalysis(runs = 3): Promise<AnalysisBench> {
  const { stems, sampleRate } = await demoStems()
  const songMinutes = stems[0]!.channels[0]!.length / sampleRate / 60
  const whole: number[] = []
  const cpu: number[] = []
  const mixParts: number[] = []
  const loudnessParts: number[] = []
  let result = analyseStems(stems, sampleRate) // warm-up
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now()
    const c0 = process.cpuUsage()
    result = analyseStems(stems, sampleRate)
    whole.push(since(t0))
    const c1 = process.cpuUsage(c0)
    cpu.push((c1.user + c1.system) / 1e6)
    const mix = mixFrom(stems)
    t0 = performance.now()
    analyseMix(mix, sampleRate)
    mixParts.push(since(t0))
    t0 = performance.now()
    loudnessFrom(mix, sampleRate)
    for (const s of stems) loudnessFrom(s.channels, sampleRate)
    loudnessParts.push(since(t0))
  }
  const seconds = median(whole)
  return {
    stems: stems.length,
    songMinutes,
    seconds,
    cpuSeconds: median(cpu),
    perSongMinute: seconds / songMinutes,
    perStemMinute: seconds / (songMinutes * stems.length),
    mixSeconds: median(mixParts),
    loudnessSeconds: median(loudnessParts),
    tempo: result.campaign.tempo,
    key: result.campaign.key,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const b = await benchAnalysis()
  const f = (x: number) => x.toFixed(2)
  console.log(`demo: ${b.stems} stems × ${f(b.songMinutes * 60)} s; found ${b.tempo} BPM, ${b.key}`)
  console.log(`whole analysis: ${f(b.seconds)} s wall, ${f(b.cpuSeconds)} s CPU (median of 3)`)
  console.log(`  mix grid, key and sections: ${f(b.mixSeconds)} s`)
  console.log(`  loudness, mix and ${b.stems} stems: ${f(b.loudnessSeconds)} s`)
  const cpuPerMinute = b.cpuSeconds / b.songMinutes
  console.log(
    `analysis: ${f(b.perSongMinute)} s wall (${f(cpuPerMinute)} s CPU) per minute of song ` +
      `(${b.stems} stems), ${f(b.perStemMinute)} s wall per minute of stem audio`,
  )
}
