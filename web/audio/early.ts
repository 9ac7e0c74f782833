import type { StemHead } from '../../core/api/stem-heads.ts'

/** A stem's first bytes and, when decoded before the studio's code arrived, their audio. */
export type EarlyHead = StemHead & { audio?: Promise<AudioBuffer> }

let early: AudioContext | undefined
/** Tone.js's own context, when the studio's code arrived before any head was decoded. */
let made: (() => AudioContext) | undefined

/**
 * The AudioContext the studio plays in, made by the app's first script at a studio's address (no
 * Tone.js there: it comes with the studio's code): the stems' first seconds decode in it while the
 * studio's code is on its way, and the Play click only resumes it. Made once.
 */
export function earlyContext(): AudioContext {
  return (early ??= made?.() ?? new AudioContext({ latencyHint: 'interactive' }))
}

/**
 * The context to decode in when the studio's code came first (its engine already plays in
 * Tone.js's context): one context, the one Play resumes.
 */
export function decodeIn(context: () => AudioContext): void {
  made = context
}

/** The early AudioContext, if the page made one (the studio's engine plays in it then). */
export function madeEarlyContext(): AudioContext | undefined {
  return early
}

/** Each head with its audio decoding in the early context (a copy: decoding takes the bytes). */
export function decodingHeads(heads: ReadonlyMap<string, StemHead>): Map<string, EarlyHead> {
  const context = earlyContext()
  return new Map(
    [...heads].map(([id, head]) => {
      const audio = context.decodeAudioData(head.bytes.slice().buffer)
      audio.catch(() => undefined) // the engine sees a failure when it takes the head
      return [id, { ...head, audio }]
    }),
  )
}
