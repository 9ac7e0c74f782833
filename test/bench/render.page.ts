// The page of `npm run bench:render`: synthetic stems and an 8-track remix, rendered offline.
import { renderRecipe } from '../../web/audio/render.ts'
import { bufferOf, recipeOf, RATE } from '../render/signals.ts'

export type BenchResult = {
  tracks: number
  seconds: number
  sampleRate: number
  stemsMs: number
  renderMs: number
  peak: number
  progressCalls: number
}

const TRACKS = 8
const LENGTH = 180
const STEM = 30

// Eight different 30-second stems: a chord tone with tremolo and a little noise each.
function stemOf(i: number): AudioBuffer {
  const hz = 55 * 2 ** (i / 3)
  let seed = i + 1
  const noise = () => {
    seed = (seed * 16807) % 2147483647
    return seed / 2147483647 - 0.5
  }
  return bufferOf(STEM, (t) => {
    const tremolo = 0.6 + 0.4 * Math.sin(2 * Math.PI * (0.5 + i * 0.25) * t)
    return 0.3 * tremolo * Math.sin(2 * Math.PI * hz * t) + 0.02 * noise()
  })
}

function benchRecipe() {
  const divisions = ['1/4', '1/8', '1/8d', '1/16'] as const
  const tracks = Array.from({ length: TRACKS }, (_, i) => ({
    id: `t${i}`,
    stem: `s${i}`,
    gainDb: -6,
    pan: (i / (TRACKS - 1)) * 1.6 - 0.8,
    effects: [
      { id: `f${i}`, type: 'filter', mode: 'lowpass', frequency: 4000 + i * 1000, q: 0.8 },
      { id: `e${i}`, type: 'eq3', low: 2, mid: -3, high: 1 },
      { id: `c${i}`, type: 'compressor', threshold: -18, ratio: 4, attack: 0.01, release: 0.2 },
      { id: `d${i}`, type: 'delay', division: divisions[i % 4], feedback: 0.35, wet: 0.2 },
    ],
    // half the tracks loop one region, the others lay out six separate ones
    regions:
      i % 2 === 0
        ? [
            {
              id: `r${i}`,
              start: 0,
              offset: 0,
              duration: STEM,
              loops: LENGTH / STEM,
              fadeIn: 0.01,
              fadeOut: 0.01,
            },
          ]
        : Array.from({ length: LENGTH / STEM }, (_, k) => ({
            id: `r${i}_${k}`,
            start: k * STEM,
            offset: 0,
            duration: STEM,
            fadeIn: 0.01,
            fadeOut: 0.01,
          })),
  }))
  return recipeOf({
    tempo: 120,
    length: LENGTH,
    tracks,
    master: {
      effects: [
        { id: 'me', type: 'eq3', low: 1, mid: 0, high: 2 },
        { id: 'mr', type: 'reverb', decay: 2.5, wet: 0.2 },
      ],
      limiter: { enabled: true, ceilingDb: -1 },
    },
  })
}

async function run(): Promise<BenchResult> {
  const t0 = performance.now()
  const buffers = new Map(Array.from({ length: TRACKS }, (_, i) => [`s${i}`, stemOf(i)] as const))
  const t1 = performance.now()
  let progressCalls = 0
  const out = await renderRecipe(benchRecipe(), buffers, {
    sampleRate: RATE,
    onProgress: () => progressCalls++,
  })
  const t2 = performance.now()
  let peak = 0
  for (let ch = 0; ch < out.numberOfChannels; ch++)
    for (const v of out.getChannelData(ch)) peak = Math.max(peak, Math.abs(v))
  return {
    tracks: TRACKS,
    seconds: out.duration,
    sampleRate: out.sampleRate,
    stemsMs: t1 - t0,
    renderMs: t2 - t1,
    peak,
    progressCalls,
  }
}

Object.assign(window, { runBench: run })
