import type { Seconds } from '../units.ts'
import { audibleFrom } from './audibility.ts'
import type { Recipe } from './schema.ts'

/** Mean power of a stem over consecutive frames of `frame` seconds (all channels). */
export function powerFrames(channels: readonly Float32Array[], sampleRate: number, frame: Seconds) {
  const n = Math.max(1, Math.round(frame * sampleRate))
  const out = new Float32Array(Math.ceil((channels[0]?.length ?? 0) / n))
  const scale = 1 / (n * channels.length)
  for (const c of channels)
    for (let i = 0; i < c.length; i++) out[(i / n) | 0]! += c[i]! * c[i]! * scale
  return out
}

/**
 * A remix's power over time, one value per `frame` seconds, from each stem's power frames: every
 * audible region pass plays its stem's power at the source time it reads, scaled by master, track
 * and region gain and the fades, summed over tracks (effects and generated parts left out). What
 * quick mode draws, and how the tests hear a proposal without rendering it.
 */
export function mixEnvelope(
  recipe: Recipe,
  power: ReadonlyMap<string, Float32Array>,
  frame: Seconds,
): Float64Array {
  const frames = Math.floor(recipe.length / frame)
  const mix = new Float64Array(frames)
  const audible = audibleFrom(recipe.tracks)
  recipe.tracks.forEach((track, ti) => {
    const p = power.get(track.stem)
    if (!audible[ti] || !p) return
    for (const r of track.regions)
      for (let k = 0; k < r.loops; k++) {
        const pass = r.start + k * r.duration
        for (let f = Math.ceil(pass / frame); f * frame < pass + r.duration && f < frames; f++) {
          const into = f * frame - pass
          const fade = Math.min(
            1,
            r.fadeIn > 0 ? into / r.fadeIn : 1,
            r.fadeOut > 0 ? (r.duration - into) / r.fadeOut : 1,
          )
          const gain = fade * 10 ** ((recipe.master.gainDb + track.gainDb + r.gainDb) / 20)
          mix[f]! += gain * gain * (p[Math.floor((r.offset + into * r.rate) / frame)] ?? 0)
        }
      }
  })
  return mix
}
