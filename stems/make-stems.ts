/**
 * make-stems.ts: generates the Stemfair demo campaign's original song
 * "Copper Moons" as five sample-locked stems, plus its cover art.
 *
 *   node stems/make-stems.ts        (Node >= 22.18, needs `lame` on PATH)
 *
 * Everything is synthesised here from a single seed (no samples, no npm
 * dependencies, no Math.random), so running it twice gives identical audio.
 * Outputs: stems/audio/<id>.mp3 (44.1 kHz stereo) and stems/artwork.svg.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { wavHeader } from '../core/audio/wav.ts'
import { seededRandom } from '../core/lib/random.ts'

// ---------------------------------------------------------------- constants

const SEED = 0x0c0ffee5
const SR = 44100
const BPM = 100
const BARS = 40
const BEAT = (SR * 60) / BPM // 26460 samples
const STEP = BEAT / 4 // one 16th note: 6615 samples
const BAR = BEAT * 4 // 105840 samples
const N = BAR * BARS // 4233600 samples = 96.0 s
const TAU = Math.PI * 2

/** lame settings shared by every stem (same settings => same delay/padding). */
const LAME_ARGS = ['--cbr', '-b', '160', '-q', '2', '-m', 'j', '--noreplaygain', '--silent']

/**
 * Mix balance: each stem's relative loudness while it plays ("active RMS", dB). All five are then
 * scaled by one common factor so that their sum peaks at MIX_CEILING_DB; a look-ahead limiter
 * catches any stem that would then peak above STEM_CEILING_DB.
 */
const STEM_RMS_DB: Record<StemId, number> = {
  drums: -16.5,
  bass: -13,
  pads: -18.5,
  lead: -18,
  vox: -18,
}
/** Peak-to-active-RMS ceiling per stem (a gentle look-ahead limiter shaves rarer peaks). */
const STEM_CREST_DB: Record<StemId, number> = { drums: 14, bass: 12, pads: 14, lead: 14, vox: 14 }
const STEM_CEILING_DB = -3
const MIX_CEILING_DB = -1.2

type StemId = 'drums' | 'bass' | 'pads' | 'lead' | 'vox'
type Stereo = { l: Float32Array; r: Float32Array }

// ------------------------------------------------------------------ helpers

function stereo(): Stereo {
  return { l: new Float32Array(N), r: new Float32Array(N) }
}

function mtof(m: number): number {
  return 440 * Math.pow(2, (m - 69) / 12)
}

const NOTE_INDEX: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 }
/** "D4" -> 62, "Bb3" -> 58, "C#5" -> 73 */
function note(name: string): number {
  const m = /^([A-G])(b|#)?(\d)$/.exec(name)
  if (!m) throw new Error(`bad note ${name}`)
  const acc = m[2] === 'b' ? -1 : m[2] === '#' ? 1 : 0
  return 12 * (Number(m[3]) + 1) + NOTE_INDEX[m[1]] + acc
}

function smoothstep(x: number): number {
  const t = x <= 0 ? 0 : x >= 1 ? 1 : x
  return t * t * (3 - 2 * t)
}

/** Piecewise log-linear automation; points are [bar, value]. */
function automation(points: [number, number][]): (bar: number) => number {
  return (bar: number) => {
    if (bar <= points[0][0]) return points[0][1]
    for (let i = 1; i < points.length; i++) {
      const [b1, v1] = points[i]
      if (bar <= b1) {
        const [b0, v0] = points[i - 1]
        const x = (bar - b0) / (b1 - b0)
        return v0 * Math.pow(v1 / v0, x)
      }
    }
    return points[points.length - 1][1]
  }
}

/** PolyBLEP residual for band-limited discontinuities. */
function polyBlep(t: number, dt: number): number {
  if (t < dt) {
    const x = t / dt
    return x + x - x * x - 1
  }
  if (t > 1 - dt) {
    const x = (t - 1) / dt
    return x * x + x + x + 1
  }
  return 0
}

/** Band-limited sawtooth at phase t in [0,1) with increment dt. */
function saw(t: number, dt: number): number {
  return 2 * t - 1 - polyBlep(t, dt)
}

/** Band-limited square. */
function square(t: number, dt: number): number {
  let v = t < 0.5 ? 1 : -1
  v += polyBlep(t, dt)
  const t2 = t + 0.5 >= 1 ? t - 0.5 : t + 0.5
  v -= polyBlep(t2, dt)
  return v
}

/** Topology-preserving state variable filter (stable under modulation). */
class Svf {
  ic1 = 0
  ic2 = 0
  a1 = 0
  a2 = 0
  a3 = 0
  k = 1
  low = 0
  band = 0
  high = 0
  set(fc: number, q: number): void {
    const f = Math.min(Math.max(fc, 10), SR * 0.45)
    const g = Math.tan((Math.PI * f) / SR)
    this.k = 1 / q
    this.a1 = 1 / (1 + g * (g + this.k))
    this.a2 = g * this.a1
    this.a3 = g * this.a2
  }
  tick(x: number): void {
    const v3 = x - this.ic2
    const v1 = this.a1 * this.ic1 + this.a2 * v3
    const v2 = this.ic2 + this.a2 * this.ic1 + this.a3 * v3
    this.ic1 = 2 * v1 - this.ic1 + 1e-20 // tiny offset keeps states out of denormals
    this.ic2 = 2 * v2 - this.ic2
    this.low = v2
    this.band = v1
    this.high = x - this.k * v1 - v2
  }
}

/** Envelope: linear attack, exponential-ish decay to sustain, smooth release. */
function adsr(t: number, gate: number, a: number, d: number, s: number, r: number): number {
  const pre = (x: number): number => {
    if (x < a) return x / a
    return s + (1 - s) * Math.exp(-(x - a) / d)
  }
  if (t < 0) return 0
  if (t < gate) return pre(t)
  const x = (t - gate) / r
  if (x >= 1) return 0
  const c = 1 - x
  return pre(gate) * c * c
}

function panGains(pan: number): [number, number] {
  const p = ((pan + 1) * Math.PI) / 4 // pan -1..1, equal power
  return [Math.cos(p), Math.sin(p)]
}

/** Freeverb-style stereo reverb; returns only the wet signal. */
function reverb(src: Stereo, room: number, damp: number, wet: number, preDelayMs: number): Stereo {
  const out = stereo()
  const combT = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617]
  const apT = [556, 441, 341, 225]
  const spread = 23
  const fb = 0.7 + 0.28 * room
  const d1 = damp * 0.4
  const d2 = 1 - d1
  const pre = Math.round((preDelayMs / 1000) * SR)
  for (let ch = 0; ch < 2; ch++) {
    const off = ch === 0 ? 0 : spread
    const combs = combT.map((t) => new Float64Array(t + off))
    const cIdx = new Int32Array(8)
    const cStore = new Float64Array(8)
    const aps = apT.map((t) => new Float64Array(t + off))
    const aIdx = new Int32Array(4)
    const o = ch === 0 ? out.l : out.r
    for (let i = 0; i < N; i++) {
      const j = i - pre
      const input = j >= 0 ? (src.l[j] + src.r[j]) * 0.015 : 0
      let acc = 0
      for (let c = 0; c < 8; c++) {
        const buf = combs[c]
        const y = buf[cIdx[c]]
        cStore[c] = y * d2 + cStore[c] * d1
        buf[cIdx[c]] = input + cStore[c] * fb
        if (++cIdx[c] >= buf.length) cIdx[c] = 0
        acc += y
      }
      for (let a = 0; a < 4; a++) {
        const buf = aps[a]
        const b = buf[aIdx[a]]
        buf[aIdx[a]] = acc + b * 0.5
        acc = b - acc
        if (++aIdx[a] >= buf.length) aIdx[a] = 0
      }
      o[i] = acc * wet * 3
    }
  }
  return out
}

/** Ping-pong delay with a darkening feedback path; returns the wet signal. */
function pingPong(
  src: Stereo,
  delaySamples: number,
  feedback: number,
  wet: number,
  toneHz: number,
): Stereo {
  const out = stereo()
  const bl = new Float64Array(delaySamples)
  const br = new Float64Array(delaySamples)
  const c = Math.exp((-TAU * toneHz) / SR)
  let lpL = 0
  let lpR = 0
  let idx = 0
  for (let i = 0; i < N; i++) {
    const yl = bl[idx]
    const yr = br[idx]
    lpL = yl + (lpL - yl) * c
    lpR = yr + (lpR - yr) * c
    const mono = (src.l[i] + src.r[i]) * 0.5
    bl[idx] = mono + lpR * feedback // left taps feed the right and back
    br[idx] = lpL * feedback
    out.l[i] = yl * wet
    out.r[i] = yr * wet
    if (++idx >= delaySamples) idx = 0
  }
  return out
}

function addInto(dst: Stereo, src: Stereo, gain = 1): void {
  for (let i = 0; i < N; i++) {
    dst.l[i] += src.l[i] * gain
    dst.r[i] += src.r[i] * gain
  }
}

/** RMS over the 100 ms blocks that are within 40 dB of the loudest block. */
function activeRms(s: Stereo): number {
  const B = 4410
  const pw: number[] = []
  for (let b = 0; b + B <= N; b += B) {
    let acc = 0
    for (let i = b; i < b + B; i++) acc += s.l[i] * s.l[i] + s.r[i] * s.r[i]
    pw.push(acc / (2 * B))
  }
  const max = Math.max(...pw)
  const act = pw.filter((p) => p > max * 1e-4)
  return Math.sqrt(act.reduce((a, b) => a + b, 0) / act.length)
}

/** Stereo-linked RMS compressor (a gentle leveler); threshold is relative to the active RMS. */
function compress(
  s: Stereo,
  thrRelDb: number,
  ratio: number,
  attackMs: number,
  releaseMs: number,
): void {
  const thr = activeRms(s) * Math.pow(10, thrRelDb / 20)
  const ca = 1 - Math.exp(-1 / ((attackMs / 1000) * SR))
  const cr = 1 - Math.exp(-1 / ((releaseMs / 1000) * SR))
  const expo = 1 - 1 / ratio
  let e = 0
  for (let i = 0; i < N; i++) {
    const p = 0.5 * (s.l[i] * s.l[i] + s.r[i] * s.r[i])
    e += (p - e) * (p > e ? ca : cr)
    const lvl = Math.sqrt(e)
    const g = lvl > thr ? Math.pow(thr / lvl, expo) : 1
    s.l[i] *= g
    s.r[i] *= g
  }
}

/**
 * Look-ahead peak limiter: sliding-window minimum of the required gain, then a moving average of
 * the same length (a smooth attack that always lands before the peak), then an exponential release.
 */
function limit(s: Stereo, ceiling: number, lookMs: number, releaseMs: number): void {
  const W = Math.max(1, Math.round((lookMs / 1000) * SR))
  const req = new Float32Array(N)
  for (let i = 0; i < N; i++) {
    const a = Math.max(Math.abs(s.l[i]), Math.abs(s.r[i]))
    req[i] = a > ceiling ? ceiling / a : 1
  }
  // hold[i] = min(req[i .. i+W-1]) via a monotonic deque.
  const hold = new Float32Array(N)
  const dq = new Int32Array(N)
  let head = 0
  let tail = 0
  for (let i = N - 1; i >= 0; i--) {
    while (tail > head && req[dq[tail - 1]] >= req[i]) tail--
    dq[tail++] = i
    while (dq[head] > i + W - 1) head++
    hold[i] = req[dq[head]]
  }
  const cr = 1 - Math.exp(-1 / ((releaseMs / 1000) * SR))
  let acc = W // running sum of the last W hold values (unity before the start)
  let g = 1
  for (let i = 0; i < N; i++) {
    acc += hold[i] - (i >= W ? hold[i - W] : 1)
    const avg = acc / W
    g = Math.min(avg, g + (1 - g) * cr)
    s.l[i] *= g
    s.r[i] *= g
  }
}

// ----------------------------------------------------------- the composition
// Key: D minor. Tempo: 100 BPM, 4/4, 40 bars (96 s).
// Sections: intro 0-7 | verse 8-15 | chorus 16-23 | breakdown 24-27 |
//           chorus 28-35 | outro 36-39

type Section = 'intro' | 'verse' | 'chorus' | 'break' | 'outro'
function sectionOf(bar: number): Section {
  if (bar < 8) return 'intro'
  if (bar < 16) return 'verse'
  if (bar < 24) return 'chorus'
  if (bar < 28) return 'break'
  if (bar < 36) return 'chorus'
  return 'outro'
}

type Chord = { name: string; root: number; pad: number[] }
const CHORD_DEFS: Record<string, Chord> = {
  Dm9: { name: 'Dm9', root: note('D2'), pad: ['D3', 'F3', 'A3', 'C4', 'E4'].map(note) },
  Bbmaj9: { name: 'Bbmaj9', root: note('Bb1'), pad: ['Bb2', 'F3', 'A3', 'C4', 'D4'].map(note) },
  Gm7: { name: 'Gm7', root: note('G1'), pad: ['G2', 'D3', 'F3', 'Bb3', 'D4'].map(note) },
  A7sus4: { name: 'A7sus4', root: note('A1'), pad: ['A2', 'E3', 'G3', 'A3', 'D4'].map(note) },
}
const CYCLE = ['Dm9', 'Dm9', 'Bbmaj9', 'Bbmaj9', 'Gm7', 'Gm7', 'A7sus4', 'A7sus4']
const CHORD_NAMES: string[] = [
  ...CYCLE, // intro
  ...CYCLE, // verse
  ...CYCLE, // chorus
  'Bbmaj9',
  'Bbmaj9',
  'Gm7',
  'A7sus4', // breakdown
  ...CYCLE, // chorus 2
  'Dm9',
  'Dm9',
  'Bbmaj9',
  'Dm9', // outro
]
const CHORDS: Chord[] = CHORD_NAMES.map((n) => CHORD_DEFS[n])

// ------------------------------------------------------------------- drums

type Hit = { pos: number; vel: number }

function renderDrums(rng: () => number): { mix: Stereo; kicks: Hit[] } {
  const dry = stereo()
  const send = stereo()
  const kicks: Hit[] = []
  const swing = Math.round(STEP * 0.12)
  const at = (bar: number, step: number): number =>
    bar * BAR + step * STEP + (step % 2 === 1 ? swing : 0)
  const hum = (v: number): number => v * (0.92 + 0.08 * rng())

  for (let bar = 0; bar < BARS; bar++) {
    const sec = sectionOf(bar)
    const k: [number, number][] = []
    const s: [number, number][] = []
    const h: [number, number, boolean][] = [] // step, vel, open
    if (sec === 'intro' && bar >= 4) {
      const ramp = 0.6 + 0.4 * ((bar - 4) / 3)
      for (let st = 0; st < 16; st += bar < 6 ? 2 : 1)
        h.push([st, (st % 4 === 2 ? 0.62 : 0.46) * ramp, false])
      if (bar >= 6) k.push([0, 0.65], [8, 0.6])
      if (bar === 7) k.push([12, 0.55])
    } else if (sec === 'verse') {
      k.push([0, 1], [7, 0.7], [10, 0.85])
      s.push([4, 0.9], [12, 0.9])
      if (bar % 2 === 1) s.push([15, 0.22])
      for (let st = 0; st < 16; st++) {
        if (st === 14 && bar % 2 === 1) h.push([st, 0.34, true])
        else h.push([st, st % 2 === 0 ? 0.5 : 0.24, false])
      }
    } else if (sec === 'chorus') {
      const fill = bar === 23 || bar === 35
      k.push([0, 1], [4, 0.95], [8, 1], [12, 0.95])
      s.push([4, 0.95], [12, 0.95])
      if (fill) s.push([13, 0.45], [14, 0.6], [15, 0.78])
      else if (bar % 2 === 1) s.push([15, 0.25])
      for (let st = 0; st < 16; st++) {
        if (fill && st >= 13) continue
        if (st % 4 === 2) h.push([st, 0.34, true])
        else h.push([st, st % 2 === 0 ? 0.48 : 0.3, false])
      }
    } else if (sec === 'break' && bar === 27) {
      for (let st = 0; st < 16; st += st < 8 ? 2 : 1) s.push([st, 0.15 + 0.6 * (st / 15) ** 1.5])
    } else if (sec === 'outro' && bar <= 38) {
      if (bar <= 37) k.push([0, 0.9], [8, 0.8])
      if (bar === 37) s.push([12, 0.6])
      const fade = bar === 38 ? 0.6 : 1
      for (let st = 0; st < 16; st += 2)
        h.push([st, (st % 4 === 2 ? 0.45 : 0.32) * fade * (bar === 38 ? 1 - st / 20 : 1), false])
    }
    for (const [st, v] of k) {
      const pos = at(bar, st)
      kicks.push({ pos, vel: v })
      kick(dry, pos, hum(v))
    }
    for (const [st, v] of s) snare(dry, send, at(bar, st), hum(v), rng)
    for (const [st, v, open] of h)
      hat(dry, send, at(bar, st), hum(v), open, (st % 4) / 3 - 0.5, rng)
  }
  const verb = reverb(send, 0.72, 0.45, 0.5, 12)
  addInto(dry, verb)
  return { mix: dry, kicks }
}

function kick(buf: Stereo, pos: number, vel: number): void {
  const len = Math.round(0.5 * SR)
  let ph = 0
  const norm = 1 / Math.tanh(1.8)
  for (let i = 0; i < len && pos + i < N; i++) {
    const t = i / SR
    const f = 44 + 95 * Math.exp(-t / 0.035) + 160 * Math.exp(-t / 0.006)
    ph += f / SR
    const tail = i > len - 1000 ? (len - i) / 1000 : 1
    const env = Math.min(1, t / 0.0015) * Math.exp(-t / 0.24) * tail
    const v = Math.tanh(1.8 * Math.sin(TAU * ph) * env) * norm * vel
    buf.l[pos + i] += v
    buf.r[pos + i] += v
  }
}

function snare(buf: Stereo, send: Stereo, pos: number, vel: number, rng: () => number): void {
  const len = Math.round(0.32 * SR)
  const bp = new Svf()
  bp.set(2300, 0.7)
  const hp = new Svf()
  hp.set(5500, 0.7)
  let p1 = rng()
  let p2 = rng()
  for (let i = 0; i < len && pos + i < N; i++) {
    const t = i / SR
    const atk = Math.min(1, t / 0.0012)
    const tail = i > len - 600 ? (len - i) / 600 : 1
    p1 += (176 + 30 * Math.exp(-t / 0.02)) / SR
    p2 += 331 / SR
    const body =
      Math.sin(TAU * p1) * Math.exp(-t / 0.055) * 0.6 +
      Math.sin(TAU * p2) * Math.exp(-t / 0.03) * 0.3
    const n = rng() * 2 - 1
    bp.tick(n)
    hp.tick(n)
    const noise = (bp.band * 0.9 + hp.high * 0.25) * Math.exp(-t / 0.1)
    const v = (body + noise) * atk * tail * vel * 0.8
    buf.l[pos + i] += v
    buf.r[pos + i] += v
    send.l[pos + i] += v * 0.6
    send.r[pos + i] += v * 0.6
  }
}

function hat(
  buf: Stereo,
  send: Stereo,
  pos: number,
  vel: number,
  open: boolean,
  pan: number,
  rng: () => number,
): void {
  const decay = open ? 0.1 : 0.028
  const len = Math.round((open ? 0.5 : 0.14) * SR)
  const hp = new Svf()
  hp.set(7200, 0.8)
  const bp = new Svf()
  bp.set(10500, 1.4)
  const [gl, gr] = panGains(pan * 0.5)
  for (let i = 0; i < len && pos + i < N; i++) {
    const t = i / SR
    const tail = i > len - 400 ? (len - i) / 400 : 1
    const env = Math.min(1, t / 0.001) * Math.exp(-t / decay) * tail
    const n = rng() * 2 - 1
    hp.tick(n)
    bp.tick(hp.high)
    const v = (hp.high * 0.35 + bp.band * 0.5) * env * vel * 0.55
    buf.l[pos + i] += v * gl
    buf.r[pos + i] += v * gr
    send.l[pos + i] += v * 0.15
    send.r[pos + i] += v * 0.15
  }
}

/** Sidechain "pump" gain curve from the kick hits (1 = no ducking). */
function duckCurve(kicks: Hit[], depth: number): Float32Array {
  const g = new Float32Array(N).fill(1)
  const len = Math.round(0.35 * SR)
  for (const k of kicks) {
    for (let i = 0; i < len && k.pos + i < N; i++) {
      const t = i / SR
      const d = depth * k.vel * Math.min(1, t / 0.005) * Math.exp(-t / 0.09)
      const v = 1 - d
      if (v < g[k.pos + i]) g[k.pos + i] = v
    }
  }
  return g
}

// -------------------------------------------------------------------- bass

function renderBass(duck: Float32Array): Stereo {
  const out = stereo()
  type Pat = [number, number, number, number][] // step, semitones, length, vel
  const verseA: Pat = [
    [0, 0, 6, 1],
    [7, 0, 2, 0.8],
    [10, 0, 3, 0.9],
    [14, 12, 2, 0.7],
  ]
  const verseB: Pat = [
    [0, 0, 6, 1],
    [7, 0, 2, 0.8],
    [10, 7, 2, 0.85],
    [12, 12, 2, 0.75],
    [14, 7, 2, 0.7],
  ]
  const chorusA: Pat = [
    [0, 0, 2, 1],
    [2, 0, 2, 0.9],
    [6, 0, 2, 0.85],
    [8, 12, 2, 0.8],
    [10, 0, 2, 0.9],
    [14, 7, 2, 0.85],
  ]
  const chorusB: Pat = [
    [0, 0, 2, 1],
    [2, 0, 2, 0.9],
    [6, 7, 2, 0.85],
    [8, 0, 2, 0.8],
    [10, 12, 2, 0.9],
    [12, 0, 2, 0.8],
    [14, 7, 2, 0.85],
  ]
  const notes: { pos: number; len: number; midi: number; vel: number }[] = []
  for (let bar = 0; bar < BARS; bar++) {
    const sec = sectionOf(bar)
    const second = bar > 0 && CHORD_NAMES[bar - 1] === CHORD_NAMES[bar]
    let pat: Pat = []
    if (sec === 'verse') pat = second ? verseB : verseA
    else if (sec === 'chorus') pat = second ? chorusB : chorusA
    else if (sec === 'outro' && bar === 36) pat = [[0, 0, 15, 1]]
    else if (sec === 'outro' && bar === 37) pat = [[0, 0, 10, 0.85]]
    for (const [st, semi, len, vel] of pat) {
      notes.push({
        pos: bar * BAR + st * STEP,
        len: len * STEP - 0.03 * SR,
        midi: CHORDS[bar].root + semi,
        vel,
      })
    }
  }
  for (const nt of notes) {
    const f = mtof(nt.midi)
    const lp = new Svf()
    const rel = 0.05
    const total = nt.len + Math.round(rel * SR)
    let ph = 0
    const gate = nt.len / SR
    for (let i = 0; i < total && nt.pos + i < N; i++) {
      const t = i / SR
      const env = adsr(t, gate, 0.006, 0.3, 0.5, rel)
      if ((i & 15) === 0) lp.set(150 + 650 * Math.exp(-t / 0.09) * nt.vel, 0.9)
      const dt = f / SR
      ph += dt
      if (ph >= 1) ph -= 1
      lp.tick(saw(ph, dt))
      const v = Math.tanh(1.4 * (Math.sin(TAU * ph) * 0.85 + lp.low * 0.45)) * env * nt.vel
      out.l[nt.pos + i] += v
    }
  }
  for (let i = 0; i < N; i++) {
    const v = out.l[i] * duck[i]
    out.l[i] = v
    out.r[i] = v
  }
  return out
}

// -------------------------------------------------------------------- pads

function renderPads(rng: () => number, duck: Float32Array): Stereo {
  const raw = stereo()
  // Chord events: merge consecutive identical bars; pads rest in bars 8-11.
  const events: { start: number; end: number; chord: Chord; atk: number }[] = []
  for (let bar = 0; bar < BARS; bar++) {
    if (bar >= 8 && bar < 12) continue
    const last = events[events.length - 1]
    if (last && last.chord === CHORDS[bar] && last.end === bar * BAR) last.end += BAR
    else
      events.push({
        start: bar * BAR,
        end: (bar + 1) * BAR,
        chord: CHORDS[bar],
        atk: bar === 0 || bar === 12 ? 2.5 : 0.9,
      })
  }
  const detunes = [-9, 0, 9] // cents
  const rel = 1.6
  for (const ev of events) {
    const gate = (ev.end - ev.start) / SR
    const total = Math.min(N - ev.start, ev.end - ev.start + Math.round(rel * SR))
    const nNotes = ev.chord.pad.length
    for (let ni = 0; ni < nNotes; ni++) {
      const m = ev.chord.pad[ni]
      for (const det of detunes) {
        const f = mtof(m + det / 100)
        const dt = f / SR
        let ph = rng()
        const lfoPh = rng() * TAU
        const lfoRate = 0.05 + 0.05 * rng()
        const basePan = (det / 9) * 0.45 + (ni / (nNotes - 1) - 0.5) * 0.3
        const amp = (m < 50 ? 0.7 : 1) / nNotes
        let gl = 0
        let gr = 0
        for (let i = 0; i < total; i++) {
          const idx = ev.start + i
          if ((i & 63) === 0) {
            const pan = Math.max(
              -1,
              Math.min(1, basePan + 0.4 * Math.sin(lfoPh + (TAU * lfoRate * idx) / SR)),
            )
            ;[gl, gr] = panGains(pan)
          }
          ph += dt
          if (ph >= 1) ph -= 1
          const t = i / SR
          const v = saw(ph, dt) * adsr(t, gate, ev.atk, 1, 1, rel) * amp
          raw.l[idx] += v * gl
          raw.r[idx] += v * gr
        }
      }
    }
  }
  // Slowly moving, section-dependent lowpass (two cascaded SVFs per side).
  const cutoff = automation([
    [0, 350],
    [8, 1900],
    [12, 1300],
    [16, 2700],
    [24, 1700],
    [28, 3600],
    [29, 3000],
    [36, 2600],
    [40, 450],
  ])
  const level = (bar: number): number => smoothstep(bar / 3) * (1 - smoothstep((bar - 36) / 3.7))
  const f1l = new Svf()
  const f2l = new Svf()
  const f1r = new Svf()
  const f2r = new Svf()
  const dry = stereo()
  for (let i = 0; i < N; i++) {
    if ((i & 31) === 0) {
      const bar = i / BAR
      const fc = cutoff(bar) * (1 + 0.3 * Math.sin((TAU * 0.045 * i) / SR))
      f1l.set(fc, 0.75)
      f2l.set(fc * 1.4, 0.6)
      f1r.set(fc * 1.03, 0.75)
      f2r.set(fc * 1.44, 0.6)
    }
    f1l.tick(raw.l[i])
    f2l.tick(f1l.low)
    f1r.tick(raw.r[i])
    f2r.tick(f1r.low)
    const g = level(i / BAR) * (0.75 + 0.25 * duck[i])
    dry.l[i] = f2l.low * g
    dry.r[i] = f2r.low * g
  }
  const verb = reverb(dry, 0.88, 0.5, 0.45, 25)
  addInto(dry, verb)
  return dry
}

// -------------------------------------------------------------------- lead

type LeadNote = [number, number, string, number] // bar offset, 16th step, note, length in 16ths
const LEAD_CHORUS: LeadNote[] = [
  [0, 0, 'A4', 3],
  [0, 3, 'D5', 3],
  [0, 6, 'E5', 2],
  [0, 8, 'F5', 6],
  [0, 14, 'E5', 2],
  [1, 0, 'D5', 8],
  [1, 10, 'A4', 2],
  [1, 12, 'C5', 4],
  [2, 0, 'D5', 3],
  [2, 3, 'C5', 3],
  [2, 6, 'Bb4', 2],
  [2, 8, 'A4', 6],
  [2, 14, 'F4', 2],
  [3, 0, 'C5', 8],
  [3, 12, 'D5', 2],
  [3, 14, 'C5', 2],
  [4, 0, 'Bb4', 3],
  [4, 3, 'D5', 3],
  [4, 6, 'F5', 2],
  [4, 8, 'G5', 6],
  [4, 14, 'F5', 2],
  [5, 0, 'D5', 8],
  [5, 10, 'Bb4', 2],
  [5, 12, 'A4', 4],
  [6, 0, 'E5', 3],
  [6, 3, 'D5', 3],
  [6, 6, 'A4', 2],
  [6, 8, 'G4', 4],
  [6, 12, 'A4', 4],
  [7, 0, 'A4', 12],
]
const LEAD_VERSE: LeadNote[] = [
  [0, 0, 'D5', 2],
  [0, 3, 'Bb4', 2],
  [0, 6, 'F5', 2],
  [0, 10, 'D5', 2],
  [1, 0, 'G5', 2],
  [1, 6, 'D5', 2],
  [1, 10, 'Bb4', 3],
  [2, 0, 'E5', 2],
  [2, 3, 'D5', 2],
  [2, 6, 'A4', 2],
  [2, 10, 'G4', 2],
  [3, 0, 'A4', 3],
  [3, 6, 'E5', 2],
  [3, 10, 'D5', 2],
  [3, 13, 'E5', 2],
]
const LEAD_BREAK: LeadNote[] = [
  [0, 0, 'F5', 6],
  [0, 6, 'D5', 2],
  [0, 8, 'C5', 8],
  [1, 0, 'D5', 14],
  [2, 0, 'Bb4', 6],
  [2, 6, 'D5', 2],
  [2, 8, 'A4', 8],
  [3, 0, 'G4', 6],
  [3, 8, 'A4', 6],
]
const LEAD_OUTRO: LeadNote[] = [
  [0, 0, 'A4', 3],
  [0, 3, 'D5', 3],
  [0, 6, 'E5', 2],
  [0, 8, 'F5', 8],
  [1, 0, 'E5', 4],
  [1, 4, 'D5', 12],
]

function renderLead(duck: Float32Array): Stereo {
  type Ev = { pos: number; len: number; midi: number; vel: number; pluck: boolean; bright: number }
  const evs: Ev[] = []
  const put = (
    bar0: number,
    part: LeadNote[],
    vel: number,
    pluck: boolean,
    bright: number,
  ): void => {
    for (const [b, st, nm, len] of part) {
      evs.push({
        pos: (bar0 + b) * BAR + st * STEP,
        len: len * STEP - 0.02 * SR,
        midi: note(nm),
        vel,
        pluck,
        bright,
      })
    }
  }
  put(12, LEAD_VERSE, 0.6, true, 0.8)
  put(16, LEAD_CHORUS, 0.9, false, 1)
  put(24, LEAD_BREAK, 0.75, false, 0.55)
  put(28, LEAD_CHORUS, 1, false, 1.15)
  put(36, LEAD_OUTRO, 0.8, false, 0.7)

  const amp = new Float32Array(N)
  const fenv = new Float32Array(N)
  const target = new Float32Array(N)
  const vibOn = new Float32Array(N)
  const rel = 0.14
  for (const e of evs) {
    const gate = e.len / SR
    const total = Math.min(N - e.pos, e.len + Math.round(rel * SR))
    for (let i = 0; i < total; i++) {
      const t = i / SR
      const a = e.pluck
        ? adsr(t, gate, 0.004, 0.12, 0.15, rel)
        : adsr(t, gate, 0.012, 0.4, 0.7, rel)
      const fe = (e.pluck ? Math.exp(-t / 0.09) : 0.35 + 0.65 * Math.exp(-t / 0.25)) * e.bright
      const idx = e.pos + i
      if (a * e.vel > amp[idx]) amp[idx] = a * e.vel
      fenv[idx] = fe // a later note overrides an earlier note's tail
      vibOn[idx] = Math.min(1, Math.max(0, (t - 0.25) / 0.4))
    }
    target.fill(e.midi, e.pos) // pitch held until the next note
  }
  // Pitch before the first note: the first note's pitch.
  for (let i = 0; i < evs[0].pos; i++) target[i] = evs[0].midi

  const mono = new Float32Array(N)
  const lp = new Svf()
  let cur = target[0]
  let p1 = 0
  let p2 = 0.37
  let p3 = 0.71
  const glide = 1 - Math.exp(-1 / (0.025 * SR))
  for (let i = 0; i < N; i++) {
    cur += (target[i] - cur) * glide
    const vib = 0.13 * vibOn[i] * Math.sin((TAU * 5.2 * i) / SR)
    const f = mtof(cur + vib)
    const d1 = (f * 1.0035) / SR
    const d2 = f / 1.0035 / SR
    const d3 = f / 2 / SR
    p1 += d1
    if (p1 >= 1) p1 -= 1
    p2 += d2
    if (p2 >= 1) p2 -= 1
    p3 += d3
    if (p3 >= 1) p3 -= 1
    const osc = saw(p1, d1) * 0.5 + saw(p2, d2) * 0.5 + square(p3, d3) * 0.25
    if ((i & 15) === 0) lp.set(500 + f * 1.5 + 3800 * fenv[i], 1.6)
    lp.tick(osc)
    mono[i] = lp.low * amp[i] * (0.85 + 0.15 * duck[i])
  }
  const dry = stereo()
  const [gl, gr] = panGains(0.08)
  for (let i = 0; i < N; i++) {
    dry.l[i] = mono[i] * gl
    dry.r[i] = mono[i] * gr
  }
  compress(dry, -3, 2, 10, 150)
  const echo = pingPong(dry, Math.round(BEAT * 0.75), 0.42, 0.45, 3200)
  const verb = reverb(dry, 0.82, 0.5, 0.3, 20)
  addInto(dry, echo)
  addInto(dry, verb)
  return dry
}

// --------------------------------------------------------------------- vox
// Formant synthesis: band-limited glottal buzz (PolyBLEP saw, spectrally
// tilted) + breath noise through five parallel resonant bandpass formants.

type Vowel = 'ah' | 'oh' | 'oo' | 'ee' | 'eh'
// Alto formant table: frequencies (Hz), levels (dB), bandwidths (Hz).
const VOWELS: Record<Vowel, { f: number[]; db: number[]; bw: number[] }> = {
  ah: { f: [800, 1150, 2800, 3500, 4950], db: [0, -4, -20, -36, -60], bw: [80, 90, 120, 130, 140] },
  eh: {
    f: [400, 1600, 2700, 3300, 4950],
    db: [0, -24, -30, -35, -60],
    bw: [60, 80, 120, 150, 200],
  },
  ee: {
    f: [350, 1700, 2700, 3700, 4950],
    db: [0, -20, -30, -36, -60],
    bw: [50, 100, 120, 150, 200],
  },
  oh: { f: [450, 800, 2830, 3500, 4950], db: [0, -9, -16, -28, -55], bw: [70, 80, 100, 130, 135] },
  oo: { f: [325, 700, 2530, 3500, 4950], db: [0, -12, -30, -40, -64], bw: [50, 60, 170, 180, 200] },
}

type Phrase = { at: number; notes: [number, string, Vowel][] } // at: beat; notes: [beats, note, vowel]
const VOX: Phrase[] = [
  // intro: wordless "oo"
  {
    at: 16,
    notes: [
      [4, 'A4', 'oo'],
      [2, 'G4', 'oo'],
      [1.5, 'F4', 'oh'],
    ],
  },
  {
    at: 24,
    notes: [
      [3, 'E4', 'oo'],
      [1, 'D4', 'oo'],
      [3.5, 'E4', 'ah'],
    ],
  },
  // verse
  {
    at: 33,
    notes: [
      [1.5, 'A4', 'ah'],
      [0.5, 'C5', 'ah'],
      [3, 'D5', 'ah'],
      [1, 'C5', 'oh'],
      [1, 'A4', 'oh'],
    ],
  },
  {
    at: 41,
    notes: [
      [1.5, 'F4', 'ee'],
      [0.5, 'A4', 'eh'],
      [2, 'C5', 'ah'],
      [2, 'Bb4', 'ah'],
      [1.5, 'A4', 'oo'],
    ],
  },
  {
    at: 50,
    notes: [
      [1, 'G4', 'ah'],
      [1, 'Bb4', 'ah'],
      [2, 'D5', 'ah'],
      [2, 'C5', 'oh'],
      [1.5, 'Bb4', 'oo'],
    ],
  },
  {
    at: 59,
    notes: [
      [1, 'A4', 'ah'],
      [2, 'G4', 'ah'],
      [1.5, 'E4', 'oo'],
    ],
  },
  // chorus: long supporting lines under the lead
  {
    at: 64,
    notes: [
      [4, 'F4', 'ah'],
      [4, 'A4', 'ah'],
      [4, 'F4', 'oh'],
      [3, 'D4', 'oh'],
    ],
  },
  {
    at: 80,
    notes: [
      [4, 'D4', 'ee'],
      [4, 'F4', 'ah'],
      [4, 'E4', 'ah'],
      [3.5, 'E4', 'oo'],
    ],
  },
  // breakdown: the voice steps forward
  {
    at: 96.5,
    notes: [
      [1.5, 'D5', 'ah'],
      [0.5, 'C5', 'ah'],
      [2, 'A4', 'ah'],
      [1, 'C5', 'oh'],
      [2.5, 'D5', 'ah'],
    ],
  },
  {
    at: 104.5,
    notes: [
      [1.5, 'Bb4', 'oo'],
      [1.5, 'A4', 'oo'],
      [2, 'G4', 'ah'],
      [2, 'A4', 'ah'],
    ],
  },
  // chorus 2
  {
    at: 112,
    notes: [
      [4, 'A4', 'ah'],
      [2, 'C5', 'ah'],
      [1.5, 'A4', 'oh'],
    ],
  },
  {
    at: 121,
    notes: [
      [1, 'D5', 'oo'],
      [4, 'C5', 'oo'],
      [1.5, 'A4', 'oh'],
    ],
  },
  {
    at: 136,
    notes: [
      [2, 'E4', 'ah'],
      [2, 'G4', 'ah'],
      [3.5, 'A4', 'oh'],
    ],
  },
  // outro
  {
    at: 145,
    notes: [
      [3, 'F4', 'oo'],
      [1, 'E4', 'oo'],
      [6, 'D4', 'oo'],
    ],
  },
]

function renderVoice(
  rng: () => number,
  detuneCents: number,
  formantScale: number,
  offsetMs: number,
  vibPhase: number,
): Float32Array {
  const out = new Float32Array(N)
  const off = Math.round((offsetMs / 1000) * SR)
  const targetMidi = new Float32Array(N)
  const vowelIdx = new Uint8Array(N)
  const env = new Float32Array(N)
  const noteStart = new Int32Array(N) // sample where the current note started
  const names: Vowel[] = ['ah', 'oh', 'oo', 'ee', 'eh']
  const atk = 0.14
  const rel = 0.4
  targetMidi.fill(note(VOX[0].notes[0][1]))
  for (const ph of VOX) {
    const start = Math.round(ph.at * BEAT) + off
    let beats = 0
    for (const [b, nm, vw] of ph.notes) {
      const s = start + Math.round(beats * BEAT)
      const m = note(nm)
      targetMidi.fill(m, s)
      vowelIdx.fill(names.indexOf(vw), s)
      noteStart.fill(s, s)
      beats += b
    }
    const gate = (beats * BEAT) / SR
    const total = Math.min(N - start, Math.round((gate + rel) * SR))
    for (let i = 0; i < total; i++) {
      const t = i / SR
      const e = t < atk ? smoothstep(t / atk) : t < gate ? 1 : 1 - smoothstep((t - gate) / rel)
      env[start + i] = Math.max(env[start + i], e)
    }
  }
  // Formant targets as per-sample arrays, smoothed for vowel morphs.
  const nF = 5
  const filters: Svf[] = []
  for (let k = 0; k < nF; k++) filters.push(new Svf())
  const fCur = VOWELS.oo.f.slice()
  const gCur = VOWELS.oo.db.map((d, k) => Math.pow(10, d / 20) * (VOWELS.oo.f[k] / VOWELS.oo.f[0]))
  const bwCur = VOWELS.oo.bw.slice()
  const vSmooth = 1 - Math.exp(-1 / (0.07 * SR))
  const pSmooth = 1 - Math.exp(-1 / (0.045 * SR))
  const tilt = Math.exp((-TAU * 2500) / SR)
  let cur = targetMidi[0]
  let ph = rng()
  let tiltState = 0
  let jitter = 0
  let jitterTarget = 0
  const cents = detuneCents / 100
  for (let i = 0; i < N; i++) {
    if (env[i] === 0 && env[Math.min(N - 1, i + 64)] === 0) {
      cur = targetMidi[i]
      for (const f of filters) f.tick(0)
      continue
    }
    cur += (targetMidi[i] - cur) * pSmooth
    if ((i & 2047) === 0) jitterTarget = (rng() - 0.5) * 0.08
    jitter += (jitterTarget - jitter) * 0.0005
    const t = (i - noteStart[i]) / SR
    const vibDepth = 0.32 * Math.min(1, Math.max(0, (t - 0.2) / 0.5))
    const vib = vibDepth * Math.sin(vibPhase + (TAU * 5.3 * i) / SR)
    const f0 = mtof(cur + vib + jitter + cents)
    const dt = f0 / SR
    ph += dt
    if (ph >= 1) ph -= 1
    const buzz = saw(ph, dt)
    tiltState = buzz + (tiltState - buzz) * tilt
    const breath = (rng() * 2 - 1) * (0.1 + 0.12 * (ph < 0.5 ? 1 : 0))
    const src = tiltState + breath
    if ((i & 7) === 0) {
      const v = VOWELS[names[vowelIdx[i]]]
      for (let k = 0; k < nF; k++) {
        fCur[k] += (v.f[k] * formantScale - fCur[k]) * vSmooth * 8
        // table levels are spectral-envelope peaks: undo the saw's -6 dB/octave slope
        gCur[k] += (Math.pow(10, v.db[k] / 20) * (v.f[k] / v.f[0]) - gCur[k]) * vSmooth * 8
        bwCur[k] += (v.bw[k] - bwCur[k]) * vSmooth * 8
        filters[k].set(fCur[k], fCur[k] / bwCur[k])
      }
    }
    let y = 0
    for (let k = 0; k < nF; k++) {
      const flt = filters[k]
      flt.tick(src)
      y += flt.band * flt.k * gCur[k]
    }
    out[i] = y * env[i]
  }
  return out
}

function renderVox(rng: () => number): Stereo {
  const a = renderVoice(rng, 0, 1, 0, 0)
  const b = renderVoice(rng, 7, 1.025, 18, 1.9)
  const dry = stereo()
  for (let i = 0; i < N; i++) {
    dry.l[i] = a[i] * 0.78 + b[i] * 0.42
    dry.r[i] = a[i] * 0.62 + b[i] * 0.58
  }
  compress(dry, -4, 3, 10, 200)
  const verb = reverb(dry, 0.86, 0.35, 0.34, 30)
  const echo = pingPong(dry, BEAT * 1.5, 0.3, 0.18, 2500)
  addInto(dry, verb)
  addInto(dry, echo)
  return dry
}

// ------------------------------------------------------- finishing & output

/** DC blocker (~8 Hz), 10 ms fade-in and a final 1.2 s fade so every stem starts/ends at zero. */
function finish(s: Stereo): void {
  const R = 1 - (TAU * 8) / SR
  for (const ch of [s.l, s.r]) {
    let x1 = 0
    let y1 = 0
    for (let i = 0; i < N; i++) {
      const x = ch[i]
      const y = x - x1 + R * y1
      x1 = x
      y1 = y
      ch[i] = y
    }
    const fin = Math.round(0.01 * SR)
    for (let i = 0; i < fin; i++) ch[i] *= i / fin
    const fout = Math.round(1.2 * SR)
    for (let i = 0; i < fout; i++) ch[N - 1 - i] *= smoothstep(i / fout)
  }
}

function peakOf(s: Stereo): number {
  let p = 0
  for (let i = 0; i < N; i++) {
    const a = Math.abs(s.l[i])
    const b = Math.abs(s.r[i])
    if (a > p) p = a
    if (b > p) p = b
  }
  return p
}

function rmsOf(s: Stereo): number {
  let acc = 0
  for (let i = 0; i < N; i++) acc += s.l[i] * s.l[i] + s.r[i] * s.r[i]
  return Math.sqrt(acc / (2 * N))
}

function db(x: number): number {
  return x > 0 ? 20 * Math.log10(x) : -Infinity
}

function scale(s: Stereo, g: number): void {
  for (let i = 0; i < N; i++) {
    s.l[i] *= g
    s.r[i] *= g
  }
}

function writeWav(path: string, s: Stereo): void {
  const header = wavHeader(N, 2, SR, 'pcm16')
  const buf = Buffer.alloc(header.length + N * 4)
  buf.set(header)
  // Samples scaled by 32767 (not wavSamples' 32768): the published demo stems are these bytes.
  let o = header.length
  for (let i = 0; i < N; i++) {
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s.l[i] * 32767))), o)
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s.r[i] * 32767))), o + 2)
    o += 4
  }
  writeFileSync(path, buf)
}

// ----------------------------------------------------------------- artwork
// In the spirit of "Metallic Spheres in Colour": glossy metallic spheres
// with radial gradients floating on a deep colour field.

function hex(r: number, g: number, b: number): string {
  const c = (v: number): string =>
    Math.round(Math.max(0, Math.min(255, v)))
      .toString(16)
      .padStart(2, '0')
  return `#${c(r)}${c(g)}${c(b)}`
}
function mix(a: number[], b: number[], t: number): string {
  return hex(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)
}

function makeArtwork(rng: () => number): string {
  const W = 1200
  const palette: number[][] = [
    [232, 180, 64], // gold
    [214, 116, 58], // copper
    [196, 206, 222], // chrome
    [214, 58, 150], // magenta
    [44, 190, 176], // teal
    [128, 96, 240], // violet
    [236, 84, 72], // vermilion
  ]
  const white = [255, 255, 255]
  const black = [4, 4, 12]
  const hue = Math.floor(rng() * 3)
  const fields = [
    ['#1b2a78', '#0b1140', '#03051a'],
    ['#5a1460', '#260834', '#0b0212'],
    ['#0d4a5a', '#06222e', '#020a10'],
  ][hue]
  const defs: string[] = []
  defs.push(
    `<radialGradient id="bg" cx="0.42" cy="0.38" r="0.8"><stop offset="0" stop-color="${fields[0]}"/><stop offset="0.55" stop-color="${fields[1]}"/><stop offset="1" stop-color="${fields[2]}"/></radialGradient>`,
    `<linearGradient id="sky" x1="0" y1="0" x2="0.25" y2="1"><stop offset="0" stop-color="#fff" stop-opacity="0.22"/><stop offset="0.47" stop-color="#fff" stop-opacity="0.02"/><stop offset="0.5" stop-color="#000" stop-opacity="0.3"/><stop offset="0.8" stop-color="#000" stop-opacity="0.05"/><stop offset="1" stop-color="#fff" stop-opacity="0.12"/></linearGradient>`,
    `<radialGradient id="rim" cx="0.5" cy="0.5" r="0.5" fx="0.62" fy="0.7"><stop offset="0.78" stop-color="#fff" stop-opacity="0"/><stop offset="0.96" stop-color="#fff" stop-opacity="0.28"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>`,
    `<radialGradient id="glow" r="0.5"><stop offset="0" stop-color="#fff" stop-opacity="0.16"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>`,
  )
  palette.forEach((c, i) => {
    const stops: [number, string][] = [
      [0, '#ffffff'],
      [0.05, mix(c, white, 0.75)],
      [0.2, mix(c, white, 0.25)],
      [0.45, mix(c, black, 0.1)],
      [0.72, mix(c, black, 0.6)],
      [0.9, mix(c, black, 0.9)],
      [0.97, mix(c, black, 0.75)],
      [1, mix(c, white, 0.2)],
    ]
    defs.push(
      `<radialGradient id="m${i}" cx="0.5" cy="0.5" r="0.5" fx="0.34" fy="0.3">${stops
        .map(([o, col]) => `<stop offset="${o}" stop-color="${col}"/>`)
        .join('')}</radialGradient>`,
    )
  })
  // Place spheres without overlap (rejection sampling from the seed).
  const spheres: { x: number; y: number; r: number; c: number }[] = []
  const radii = [250, 175, 140, 115, 90, 70, 52, 38]
  for (const r0 of radii) {
    for (let tries = 0; tries < 400; tries++) {
      const r = r0 * (0.9 + 0.2 * rng())
      const x = r + 60 + rng() * (W - 2 * r - 120)
      const y = r + 60 + rng() * (W - 2 * r - 120)
      if (spheres.every((s) => Math.hypot(s.x - x, s.y - y) > s.r + r + 24)) {
        spheres.push({ x, y, r, c: spheres.length % palette.length })
        break
      }
    }
  }
  const body: string[] = [`<rect width="${W}" height="${W}" fill="url(#bg)"/>`]
  // Faint orbit ellipses.
  for (let i = 0; i < 3; i++) {
    const rx = 380 + i * 150 + rng() * 40
    const ry = rx * (0.28 + 0.1 * rng())
    const rot = -20 + rng() * 40
    body.push(
      `<ellipse cx="600" cy="600" rx="${rx.toFixed(0)}" ry="${ry.toFixed(0)}" transform="rotate(${rot.toFixed(1)} 600 600)" fill="none" stroke="#fff" stroke-opacity="0.07" stroke-width="2"/>`,
    )
  }
  // Small stars.
  for (let i = 0; i < 60; i++) {
    body.push(
      `<circle cx="${(rng() * W).toFixed(0)}" cy="${(rng() * W).toFixed(0)}" r="${(0.8 + rng() * 1.8).toFixed(1)}" fill="#fff" fill-opacity="${(0.15 + rng() * 0.45).toFixed(2)}"/>`,
    )
  }
  // Draw smaller (farther) spheres first.
  const order = spheres.slice().sort((a, b) => a.r - b.r)
  for (const s of order) {
    const x = s.x.toFixed(0)
    const y = s.y.toFixed(0)
    const r = s.r.toFixed(0)
    body.push(`<circle cx="${x}" cy="${y}" r="${(s.r * 1.6).toFixed(0)}" fill="url(#glow)"/>`)
    body.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="url(#m${s.c})"/>`)
    body.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="url(#sky)"/>`)
    body.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="url(#rim)"/>`)
    const hx = (s.x - s.r * 0.36).toFixed(0)
    const hy = (s.y - s.r * 0.42).toFixed(0)
    body.push(
      `<ellipse cx="${hx}" cy="${hy}" rx="${(s.r * 0.2).toFixed(0)}" ry="${(s.r * 0.11).toFixed(0)}" transform="rotate(-35 ${hx} ${hy})" fill="#fff" fill-opacity="0.55"/>`,
    )
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${W}" width="${W}" height="${W}">\n<title>Copper Moons: Stemfair demo cover</title>\n<defs>\n${defs.join('\n')}\n</defs>\n${body.join('\n')}\n</svg>\n`
}

// -------------------------------------------------------------------- main

function main(): void {
  const t0 = Date.now()
  const here = dirname(fileURLToPath(import.meta.url))
  const audioDir = join(here, 'audio')
  mkdirSync(audioDir, { recursive: true })

  // Separate deterministic streams per part, all derived from SEED.
  const stream = (k: number): (() => number) =>
    seededRandom((SEED ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0)

  const { mix: drums, kicks } = renderDrums(stream(1))
  const duck = duckCurve(kicks, 0.6)
  const stems: Record<StemId, Stereo> = {
    drums,
    bass: renderBass(duckCurve(kicks, 0.85)),
    pads: renderPads(stream(2), duck),
    lead: renderLead(duck),
    vox: renderVox(stream(3)),
  }
  const ids = Object.keys(stems) as StemId[]

  for (const id of ids) {
    finish(stems[id])
    scale(stems[id], Math.pow(10, STEM_RMS_DB[id] / 20) / activeRms(stems[id]))
    limit(stems[id], Math.pow(10, (STEM_RMS_DB[id] + STEM_CREST_DB[id]) / 20), 2, 150)
  }
  // Headroom: one common factor for every stem so that their sum peaks at the mix ceiling. A stem
  // that would then peak above its own ceiling is limited, and the common factor re-checked.
  const ceiling = Math.pow(10, MIX_CEILING_DB / 20)
  const stemCeiling = Math.pow(10, STEM_CEILING_DB / 20)
  const mixOf = (): Stereo => {
    const out = stereo()
    for (const id of ids) addInto(out, stems[id])
    return out
  }
  let sum = mixOf()
  let common = ceiling / peakOf(sum)
  for (const id of ids) scale(stems[id], common)
  for (let pass = 0; pass < 3; pass++) {
    for (const id of ids) if (peakOf(stems[id]) > stemCeiling) limit(stems[id], stemCeiling, 2, 120)
    sum = mixOf()
    const over = peakOf(sum) / ceiling
    if (over <= 1) break
    for (const id of ids) scale(stems[id], 1 / over)
    common /= over
  }
  sum = mixOf()
  const mixPeak = peakOf(sum)

  const tmp = mkdtempSync(join(tmpdir(), 'stemfair-stems-'))
  try {
    console.log(
      `Copper Moons: ${BPM} BPM, D minor, ${BARS} bars, ${N} samples (${(N / SR).toFixed(2)} s) per stem`,
    )
    console.log(`common gain after RMS balancing: ${db(common).toFixed(2)} dB`)
    for (const id of ids) {
      const s = stems[id]
      const wav = join(tmp, `${id}.wav`)
      const mp3 = join(audioDir, `${id}.mp3`)
      writeWav(wav, s)
      execFileSync(
        'lame',
        [...LAME_ARGS, '--tt', `Copper Moons (${id})`, '--ta', 'Stemfair', wav, mp3],
        { stdio: 'inherit' },
      )
      console.log(
        `${id.padEnd(6)} samples=${N}  peak=${db(peakOf(s)).toFixed(2)} dBFS  rms=${db(rmsOf(s)).toFixed(2)} dBFS  mp3=${(statSync(mp3).size / 1024).toFixed(0)} KiB`,
      )
    }
    console.log(`mix    peak=${db(mixPeak).toFixed(2)} dBFS  rms=${db(rmsOf(sum)).toFixed(2)} dBFS`)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }

  const svg = makeArtwork(stream(4))
  writeFileSync(join(here, 'artwork.svg'), svg)
  console.log(`artwork.svg ${svg.length} bytes; done in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}

main()
