// `npm run bench:assist`: the AI assistance figures, one section each, then a one-line summary.
// Sections: analysis seconds per minute of stems (test/bench/analysis.ts), proposal latency for
// 8 stems × 4 minutes, and how long a fan waits for a generated part (stored notes vs transcribing
// in the browser, same run). Add a section by appending to SECTIONS.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { StemNotesFile } from '../../core/api/notes.ts'
import { generatePart } from '../../core/music/generate.ts'
import { propose } from '../../core/assist/propose.ts'
import { quickRemix } from '../../core/assist/quick.ts'
import { testCampaign } from '../../core/assist/testing/campaign.ts'
import { Intent } from '../../core/assist/types.ts'
import { licencePresets } from '../../core/licence/presets.ts'
import { benchAnalysis } from './analysis.ts'
import { transcriptionFromStored } from '../../web/transcribe/transcriber.ts'
import { inChromium, SECONDS, transcriptionSection } from './transcribe.ts'

/** One part of the benchmark: lines to print and a short phrase for the summary line. */
export type BenchSection = {
  name: string
  run: () => Promise<{ lines: string[]; summary: string }>
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!
const ms = (x: number) => `${x.toFixed(1)} ms`

/** Proposal latency: `propose` (3 proposals, licence-checked) for every intent on 8 stems × 4 min. */
export const proposalSection: BenchSection = {
  name: 'proposals',
  run: () => {
    const { campaign, stems, recipe } = testCampaign(8, 240)
    const policy = licencePresets({})[1]!.policy // non-commercial, voice protected
    const at = '2026-06-01T12:00:00Z'
    const base = { recipe, stems, campaign, policy, at }
    for (let i = 0; i < 5; i++) propose({ ...base, intent: 'club', seed: i }) // warm-up
    const lines: string[] = []
    const all: number[] = []
    const cpuAll: number[] = []
    for (const intent of Intent.options) {
      const times: number[] = []
      const cpu: number[] = []
      for (let seed = 0; seed < 20; seed++) {
        const t0 = performance.now()
        const c0 = process.cpuUsage()
        const proposals = propose({
          ...base,
          intent,
          seed,
          targetSeconds: intent === 'radioEdit' ? 200 : undefined,
        })
        times.push(performance.now() - t0)
        const c = process.cpuUsage(c0)
        cpu.push((c.user + c.system) / 1000)
        if (proposals.length !== 3) throw new Error(`${intent}: ${proposals.length} proposals`)
      }
      all.push(...times)
      cpuAll.push(...cpu)
      lines.push(
        `  ${intent.padEnd(13)} median ${ms(median(times))}, p95 ${ms(p95(times))}, CPU median ${ms(median(cpu))} (3 proposals)`,
      )
    }
    const quick: number[] = []
    for (let seed = 0; seed < 20; seed++) {
      const t0 = performance.now()
      quickRemix({ ...base, mood: (seed % 5) / 4, tempo: 0.5, seed })
      quick.push(performance.now() - t0)
    }
    lines.unshift(`proposal latency, 8 stems × 4:00 (120 bars, 15 sections), 20 seeds per intent:`)
    lines.push(`  quick mode    median ${ms(median(quick))}, p95 ${ms(p95(quick))} (one recipe)`)
    const summary = `proposals ${ms(median(all))} median / ${ms(p95(all))} p95 wall (${ms(median(cpuAll))} CPU) for 3 on 8 stems × 4 min`
    return Promise.resolve({ lines, summary })
  },
}

/** Analysis speed on the demo campaign (A9's benchmark). */
export const analysisSection: BenchSection = {
  name: 'analysis',
  run: async () => {
    const b = await benchAnalysis()
    const f = (x: number) => x.toFixed(2)
    return {
      lines: [
        `analysis, demo ${b.stems} stems × ${f(b.songMinutes * 60)} s: ${f(b.seconds)} s wall, ${f(b.cpuSeconds)} s CPU`,
        `  ${f(b.perSongMinute)} s per minute of song, ${f(b.perStemMinute)} s per minute of stem audio`,
      ],
      summary: `analysis ${f(b.perSongMinute)} s per song minute`,
    }
  },
}

/**
 * How long a fan waits for a generated part from the demo's lead: with notes stored ahead of time
 * (the studio's work after the ~10 KB JSON arrives: parse, validate, key and chords, the part;
 * the local fetch itself is not in the figure), against transcribing in headless Chromium first
 * (model load + inference on the 34 s test melody, the fallback's wait), measured in this run.
 */
export const partWaitSection: BenchSection = {
  name: 'part-wait',
  run: async () => {
    const text = readFileSync(new URL('../../stems/notes/lead.json', import.meta.url), 'utf8')
    const grid = { tempo: 100, beatsPerBar: 4, offset: 0 }
    const partFrom = (seed: number) => {
      const t = transcriptionFromStored(StemNotesFile.parse(JSON.parse(text)), grid)
      return generatePart({
        kind: 'counterMelody',
        notes: t.notes,
        key: t.key,
        chords: t.chords,
        tempo: 100,
        beatsPerBar: 4,
        offset: 0,
        bars: 16,
        seed,
        sourceStems: ['copper-moons-lead'],
        aiAction: 'ai-bench',
      })
    }
    for (let i = 0; i < 5; i++) partFrom(i) // warm-up
    const times: number[] = []
    for (let seed = 0; seed < 20; seed++) {
      const t0 = performance.now()
      if (partFrom(seed).notes.length === 0) throw new Error('an empty part')
      times.push(performance.now() - t0)
    }
    const storedLoad = loadavg()[0]!.toFixed(2)
    const [r] = await inChromium([['wasm', SECONDS]], () => {})
    if (!r) throw new Error('Chromium transcription failed')
    const browserMs = (r.loadSeconds + r.inferSeconds) * 1000
    const browserLoad = loadavg()[0]!.toFixed(2)
    const stored = median(times)
    return {
      lines: [
        'part wait, a counter-melody from the demo lead (16 bars):',
        `  stored notes   median ${ms(stored)}, p95 ${ms(p95(times))} (load ${storedLoad})`,
        `  in the browser ${ms(browserMs)}: model ${ms(r.loadSeconds * 1000)} + ${SECONDS} s of audio ${ms(r.inferSeconds * 1000)} (load ${browserLoad})`,
      ],
      summary: `part wait ${stored.toFixed(0)} ms stored vs ${browserMs.toFixed(0)} ms transcribing in the browser`,
    }
  },
}

export const SECTIONS: BenchSection[] = [
  analysisSection,
  transcriptionSection,
  proposalSection,
  partWaitSection,
]

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2)
  const summaries: string[] = []
  for (const section of SECTIONS.filter((s) => only.length === 0 || only.includes(s.name))) {
    try {
      const { lines, summary } = await section.run()
      for (const line of lines) console.log(line)
      summaries.push(summary)
    } catch (err) {
      console.log(`${section.name}: failed — ${(err as Error).message}`)
      summaries.push(`${section.name} failed`)
    }
  }
  console.log(`bench:assist — ${summaries.join('; ')}`)
}
