/** How a word steers the artwork: shifts of the palette and of the layout, each optional. */
export type WordEffect = {
  /** A hue (degrees) the palette is pulled towards. */
  hue?: number
  /** −1 cool … +1 warm. */
  warmth?: number
  /** −1 muted … +1 vivid. */
  saturation?: number
  /** −1 dark … +1 light. */
  lightness?: number
  /** −1 still … +1 swirling. */
  motion?: number
  /** −1 sparse … +1 crowded. */
  density?: number
}

/** Mood words fans use for how the music made them feel. */
const MOODS: Record<string, WordEffect> = {
  calm: { motion: -0.6, density: -0.4, saturation: -0.3, warmth: -0.2 },
  peaceful: { motion: -0.6, density: -0.5, saturation: -0.3 },
  chill: { motion: -0.4, density: -0.3, warmth: -0.4 },
  dreamy: { motion: -0.2, density: -0.2, saturation: -0.2, lightness: 0.3, hue: 270 },
  floating: { motion: -0.3, density: -0.4, lightness: 0.3 },
  sad: { warmth: -0.6, saturation: -0.5, lightness: -0.3, motion: -0.4 },
  melancholy: { warmth: -0.5, saturation: -0.4, lightness: -0.2, hue: 230 },
  lonely: { density: -0.7, warmth: -0.4, saturation: -0.3 },
  dark: { lightness: -0.6, saturation: -0.2 },
  moody: { lightness: -0.4, warmth: -0.2 },
  happy: { warmth: 0.6, saturation: 0.4, lightness: 0.3, motion: 0.3 },
  joyful: { warmth: 0.6, saturation: 0.5, lightness: 0.3, motion: 0.4 },
  bright: { lightness: 0.5, saturation: 0.3 },
  sunny: { warmth: 0.7, lightness: 0.4, hue: 45 },
  warm: { warmth: 0.7 },
  cold: { warmth: -0.7, saturation: -0.2 },
  icy: { warmth: -0.8, lightness: 0.3, hue: 195 },
  energetic: { motion: 0.7, density: 0.5, saturation: 0.4 },
  euphoric: { motion: 0.8, density: 0.6, saturation: 0.6, lightness: 0.3 },
  wild: { motion: 0.9, density: 0.6, saturation: 0.5 },
  angry: { warmth: 0.6, saturation: 0.6, lightness: -0.3, motion: 0.7, hue: 0 },
  intense: { saturation: 0.6, motion: 0.6, density: 0.4 },
  busy: { density: 0.8 },
  crowded: { density: 0.9 },
  empty: { density: -0.9 },
  minimal: { density: -0.8, saturation: -0.3 },
  still: { motion: -0.9 },
  spinning: { motion: 0.9 },
  hypnotic: { motion: 0.6, density: 0.2, hue: 285 },
  nostalgic: { warmth: 0.4, saturation: -0.4, hue: 35 },
  romantic: { warmth: 0.5, hue: 340, saturation: 0.2 },
  mysterious: { lightness: -0.4, hue: 260, saturation: -0.1 },
  cosmic: { lightness: -0.3, hue: 255, density: 0.3, motion: 0.3 },
  metallic: { saturation: -0.5, lightness: 0.2 },
  soft: { saturation: -0.4, lightness: 0.3, motion: -0.3 },
  heavy: { lightness: -0.3, density: 0.5, motion: -0.2 },
}

/** Colour words; each pulls the palette towards its hue (grey tones mute it instead). */
const COLOURS: Record<string, WordEffect> = {
  red: { hue: 0, saturation: 0.3 },
  crimson: { hue: 348, saturation: 0.3, lightness: -0.2 },
  orange: { hue: 28, saturation: 0.3 },
  gold: { hue: 45, saturation: 0.2, warmth: 0.3 },
  golden: { hue: 45, saturation: 0.2, warmth: 0.3 },
  yellow: { hue: 55, saturation: 0.3 },
  green: { hue: 120, saturation: 0.2 },
  emerald: { hue: 145, saturation: 0.3 },
  teal: { hue: 178, saturation: 0.2 },
  turquoise: { hue: 174, saturation: 0.3 },
  cyan: { hue: 188, saturation: 0.3 },
  blue: { hue: 220, saturation: 0.3 },
  navy: { hue: 225, lightness: -0.4 },
  indigo: { hue: 250, saturation: 0.2 },
  violet: { hue: 275, saturation: 0.3 },
  purple: { hue: 285, saturation: 0.3 },
  magenta: { hue: 310, saturation: 0.4 },
  pink: { hue: 330, saturation: 0.2, lightness: 0.3 },
  silver: { saturation: -0.7, lightness: 0.3 },
  grey: { saturation: -0.7 },
  gray: { saturation: -0.7 },
  black: { lightness: -0.7 },
  white: { lightness: 0.7, saturation: -0.3 },
  chrome: { saturation: -0.6, lightness: 0.2 },
}

/** The most words of a description that count. */
export const MAX_WORDS = 40

/** The words of a description the lexicon knows, lower-cased, in order; unknown words are ignored. */
export function knownWords(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? []
  return words.filter((w) => w in MOODS || w in COLOURS).slice(0, MAX_WORDS)
}

/** The effect of one known word, or null. */
export function effectOf(word: string): WordEffect | null {
  return MOODS[word] ?? COLOURS[word] ?? null
}

/** The summed shifts of the known words (each clamped to −1…1), and the hue they pull towards. */
export function wordsEffect(text: string): Required<Omit<WordEffect, 'hue'>> & {
  hue: number | null
  words: string[]
} {
  const words = knownWords(text)
  const sum = { warmth: 0, saturation: 0, lightness: 0, motion: 0, density: 0 }
  let x = 0
  let y = 0
  for (const w of words) {
    const e = effectOf(w)!
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += e[k] ?? 0
    if (e.hue !== undefined) {
      x += Math.cos((e.hue * Math.PI) / 180)
      y += Math.sin((e.hue * Math.PI) / 180)
    }
  }
  const clamp = (v: number) => Math.max(-1, Math.min(1, v))
  const hue = x === 0 && y === 0 ? null : ((((Math.atan2(y, x) * 180) / Math.PI) % 360) + 360) % 360
  return {
    warmth: clamp(sum.warmth),
    saturation: clamp(sum.saturation),
    lightness: clamp(sum.lightness),
    motion: clamp(sum.motion),
    density: clamp(sum.density),
    hue,
    words,
  }
}
