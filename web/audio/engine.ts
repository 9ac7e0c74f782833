import * as Tone from 'tone'
import type { Recipe } from '../../core/recipe/schema.ts'
import type { Decibels, NormalRange, Seconds } from '../../core/units.ts'
import { fetchAudio, fetchHeads } from '../api.ts'
import { decodeIn, madeEarlyContext, type EarlyHead } from './early.ts'
import { forgetPasses } from './regions.ts'
import { RemixGraph, type StemBuffers } from './graph.ts'
import { renderRecipe } from './render.ts'

/** Where a stem's audio is on its way to playable. */
export type LoadState = 'idle' | 'fetching' | 'decoding' | 'ready' | 'error'

export type StemStatus = { state: LoadState; progress: number; error?: string }

type Listener = () => void

const PROGRESS_MS = 100

/**
 * Then about 44 s of every stem, decoded before any stem whole: it keeps every stem sounding while
 * the whole stems decode one after another (8 × 4 minutes take tens of seconds on a busy machine).
 */
export const LONGER_PREFIX_BYTES = 1024 * 1024

/** Longer prefixes and whole stems decoding at once, at most. */
export const DECODES = 2

/**
 * How long held rests wait for a first Play before they stream anyway (when the page is idle): a
 * Play pressed in this time sounds with nothing else taking the main thread or the network.
 */
export const REST_GRACE_MS = 1500

/** How long after Play the rests wait for the master meter to read a signal, at most. */
const SOUND_WAIT_MS = 1000

const IDLE: StemStatus = { state: 'idle', progress: 0 }

// At a studio's address the page made its AudioContext at boot and decoded the stems' first
// seconds in it (web/audio/early.ts): Tone.js plays in that one.
// When the studio's code came first, the heads decode in Tone's context instead.
const early = madeEarlyContext()
if (early) Tone.setContext(early)
else decodeIn(() => Tone.getContext().rawContext as AudioContext)

/**
 * The studio's live engine: loads the stems, keeps one RemixGraph in step with the recipe, and
 * drives the Transport. Tracks sound as soon as their stem is decoded. Everything is scheduled in
 * seconds, so the Transport's own bpm is left alone (changing it would move scheduled regions).
 */
export class StudioEngine {
  private readonly context = Tone.getContext()
  private readonly transport = this.context.transport
  private readonly statuses = new Map<string, StemStatus>()
  /** Whole stems: what renders, exports and transcription read. */
  private readonly decoded = new Map<string, AudioBuffer>()
  /** What plays: a stem's first seconds until the whole stem is decoded, then the whole stem. */
  private readonly audible = new Map<string, AudioBuffer>()
  private readonly listeners = new Set<Listener>()
  private readonly abort = new AbortController()
  private graph: RemixGraph | undefined
  private recipe: Recipe | undefined
  private endEvent: number | undefined
  private disposed = false
  // Where a stopped transport stands, exactly: Tone keeps positions in ticks (1/384 s at its
  // default 120 BPM), so a seek to bar 9 at 100 BPM would read back 2.1 ms early ("8:4.996").
  private parked: Seconds | undefined = 0

  /**
   * `heads`: every stem's first bytes, when they were asked for before the engine (fetchHeads),
   * with their audio if it is already decoding (EarlyHead); without them, load asks for them itself. `holdRest`: the rests wait for a first sound or for
   * loadRest() (then for an idle moment) as well as for every stem's first seconds (the studio lets
   * them go once it has painted). `restAfter`: what else the rests wait for (the waveforms' peaks:
   * behind eight 5 MB downloads they came seconds late).
   */
  constructor(
    private readonly stems: readonly { id: string; url: string }[],
    options: {
      heads?: Promise<ReadonlyMap<string, EarlyHead>>
      holdRest?: boolean
      restAfter?: Promise<unknown>
    } = {},
  ) {
    this.heads = options.heads
    this.restAfter = options.restAfter?.catch(() => undefined)
    if (!options.holdRest) this.letRest()
    for (const { id } of stems) {
      this.statuses.set(id, IDLE)
      this.awaited.add(id)
    }
    this.transport.stop()
    this.transport.seconds = 0
  }

  /** Subscribes to status and transport changes; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(): void {
    for (const l of this.listeners) l()
  }

  private setStatus(id: string, status: StemStatus): void {
    if (this.disposed) return
    this.statuses.set(id, status)
    this.emit()
  }

  private progressTimer: ReturnType<typeof setTimeout> | undefined

  // Download progress re-renders the studio at most every PROGRESS_MS, not once per network chunk
  // of every stem: those renders kept the main thread from the stems' first bytes.
  private setProgress(id: string, progress: number): void {
    if (this.disposed) return
    this.statuses.set(id, { state: 'fetching', progress })
    this.progressTimer ??= setTimeout(() => {
      this.progressTimer = undefined
      this.emit()
    }, PROGRESS_MS)
  }

  /**
   * Fetches and decodes every stem; each reports its own state, failures stay per stem. Every
   * stem's first PREFIX_BYTES come in one request and are decoded as soon as it is in, so Play
   * works while the rests stream; those are asked for once every stem's first seconds are decoded
   * (nothing else takes the network or the main thread from them), and then each stem's first
   * LONGER_PREFIX_BYTES, then the whole stems, decode DECODES at a time.
   */
  async load(): Promise<void> {
    const { signal } = this.abort
    // a failed heads request: each stem streams whole, its first bytes decoded as they come
    const heads: Promise<ReadonlyMap<string, EarlyHead>> = (
      this.heads ??
      fetchHeads(
        this.stems.map((s) => s.id),
        signal,
      )
    ).catch(() => new Map<string, EarlyHead>())
    await Promise.all(
      this.stems.map(async ({ id, url }) => {
        try {
          this.setStatus(id, { state: 'fetching', progress: 0 })
          let head: Promise<void> | undefined
          // the head's audio, when it was decoded before the engine
          const early = heads.then((h) => h.get(id)?.audio)
          const onPrefix = (bytes: ArrayBuffer) => {
            if (!head) {
              head = early
                .then((audio) => audio ?? this.context.decodeAudioData(bytes))
                .then(
                  (buffer) => this.hear(id, buffer),
                  () => this.unblock(id), // a prefix that does not decode: the whole file will
                )
              return
            }
            void this.firstSeconds
              .then(() => this.queued(true, () => this.context.decodeAudioData(bytes)))
              .then(
                (buffer) => {
                  // only ever longer: the whole stem, if in first, stays
                  if ((this.audible.get(id)?.duration ?? 0) < buffer.duration) this.hear(id, buffer)
                },
                () => undefined, // the whole file will
              )
          }
          const encoded = await fetchAudio(
            url,
            (progress) => this.setProgress(id, progress),
            signal,
            {
              bytes: [LONGER_PREFIX_BYTES],
              onPrefix,
              head: heads.then((h) => h.get(id)),
              after: Promise.all([this.firstSeconds, this.restLet, this.restAfter]),
            },
          )
          if (!head) this.unblock(id) // shorter than a prefix: decoded whole at once
          await head
          await this.firstSeconds
          if (signal.aborted) return
          this.setStatus(id, { state: 'decoding', progress: 1 })
          const decoded = await this.queued(false, () => this.context.decodeAudioData(encoded))
          if (signal.aborted) return
          this.decoded.set(id, decoded)
          this.hear(id, decoded)
          this.setStatus(id, { state: 'ready', progress: 1 })
        } catch (err) {
          if (signal.aborted) return
          this.setStatus(id, { state: 'error', progress: 0, error: (err as Error).message })
          this.unblock(id)
        }
      }),
    )
  }

  private hear(id: string, buffer: AudioBuffer): void {
    if (this.disposed || this.abort.signal.aborted) return
    // when each stem becomes audible, and for how long (bench:studio's trace reads these)
    performance.mark(`stemfair:heard ${id} ${buffer.duration.toFixed(1)}`)
    this.audible.set(id, buffer)
    if (this.graph && this.recipe) this.graph.update(this.recipe)
    this.emit()
    this.unblock(id)
  }

  private readonly heads: Promise<ReadonlyMap<string, EarlyHead>> | undefined
  private readonly restAfter: Promise<unknown> | undefined
  private restGone = false
  private letRest: () => void = () => undefined
  private readonly restLet = new Promise<void>(
    (resolve) => (this.letRest = () => ((this.restGone = true), resolve())),
  )
  private restTimer: ReturnType<typeof setTimeout> | undefined
  private restIdle: number | undefined

  /**
   * Lets the rests stream (once every stem's first seconds are decoded too) as soon as nothing
   * waits for the main thread or the network: once Play sounds, or after REST_GRACE_MS in which
   * nobody pressed Play, when the page is idle. Their downloads and decodes took the first
   * Play's click and the first sound seconds when they started with the first paint.
   */
  loadRest(): void {
    if (this.restGone || this.restTimer !== undefined || this.restIdle !== undefined) return
    this.restTimer = setTimeout(() => {
      this.restTimer = undefined
      this.restIdle = requestIdleCallback(() => this.letRest(), { timeout: REST_GRACE_MS })
    }, REST_GRACE_MS)
  }

  // Play sounds once the master meter reads a signal (or SOUND_WAIT_MS on, for a silent start).
  private restAfterSound(started: number): void {
    if (this.disposed || this.restGone) return
    if (this.masterLevel() > -60 || performance.now() - started > SOUND_WAIT_MS) {
      clearTimeout(this.restTimer)
      if (this.restIdle !== undefined) cancelIdleCallback(this.restIdle)
      this.letRest()
      return
    }
    this.restTimer = setTimeout(() => this.restAfterSound(started), 20)
  }

  // Whole stems are decoded once every stem's first seconds are (or cannot be): on a busy machine
  // the long decodes would otherwise take the CPU from the other stems' first seconds.
  private readonly awaited = new Set<string>()
  private openGate: () => void = () => undefined
  private readonly firstSeconds = new Promise<void>((resolve) => (this.openGate = resolve))

  // Longer prefixes and whole stems decode at most DECODES at a time, waiting longer prefixes
  // first: eight at once took both cores (and the main thread, which takes each decoded buffer in)
  // from Play and the meters for seconds, and a stem's 44 s must not wait behind another's whole
  // decode; one at a time left a core idle and doubled the wait for every stem whole.
  private readonly waiting: { prefix: boolean; run: () => Promise<unknown> }[] = []
  private decoding = 0
  private queued<T>(prefix: boolean, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ prefix, run: () => work().then(resolve, reject) })
      this.nextDecode()
    })
  }

  private nextDecode(): void {
    if (this.decoding >= DECODES || this.waiting.length === 0) return
    const at = Math.max(
      0,
      this.waiting.findIndex((w) => w.prefix),
    )
    const [next] = this.waiting.splice(at, 1)
    this.decoding++
    void next!.run().finally(() => {
      this.decoding--
      this.nextDecode()
    })
  }

  private unblock(id: string): void {
    this.awaited.delete(id)
    if (this.awaited.size === 0) this.openGate()
  }

  status(stemId: string): StemStatus {
    return this.statuses.get(stemId) ?? IDLE
  }

  /** Every stem is decoded whole. */
  get ready(): boolean {
    return [...this.statuses.values()].every((s) => s.state === 'ready')
  }

  /** Every stem can be heard, whole or its first seconds: Play works. */
  get playable(): boolean {
    return this.stems.every(({ id }) => this.audible.has(id))
  }

  /** The stems decoded so far. */
  buffers(): StemBuffers {
    return this.decoded
  }

  /** Makes the graph follow a recipe: built on the first call, updated in place after that. */
  setRecipe(recipe: Recipe): void {
    if (this.disposed) return
    const lengthChanged = recipe.length !== this.recipe?.length
    this.recipe = recipe
    if (this.graph) this.graph.update(recipe)
    else this.graph = new RemixGraph(recipe, this.audible)
    if (lengthChanged) this.scheduleEnd(recipe.length)
  }

  // Playback pauses at the end of the remix unless the transport loops.
  private scheduleEnd(length: Seconds): void {
    if (this.endEvent !== undefined) this.transport.clear(this.endEvent)
    this.endEvent = this.transport.schedule((time) => {
      if (this.transport.loop) return
      this.transport.pause(time)
      setTimeout(() => this.emit(), Math.max(0, (time - this.context.currentTime) * 1000))
    }, length)
  }

  private get length(): Seconds {
    return this.recipe?.length ?? 0
  }

  /** Starts playback; call from a user gesture (it resumes the AudioContext). */
  async play(): Promise<void> {
    performance.mark('stemfair:play')
    await Tone.start()
    performance.mark('stemfair:started')
    if (this.disposed) return
    if (this.position >= this.length) this.park(0)
    this.parked = undefined
    this.transport.start()
    this.emit()
    this.restAfterSound(performance.now())
  }

  pause(): void {
    this.transport.pause()
    this.parked = undefined
    this.emit()
  }

  /** Stops and goes back to the top. */
  stop(): void {
    this.transport.stop()
    this.parked = 0
    this.emit()
  }

  seek(seconds: Seconds): void {
    this.park(Math.min(Math.max(0, seconds), this.length))
    this.emit()
  }

  private park(seconds: Seconds): void {
    this.transport.seconds = seconds
    this.parked = this.playing ? undefined : seconds
  }

  /** Loops the transport over a range, or stops looping with null. */
  setLoop(range: { start: Seconds; end: Seconds } | null): void {
    if (range && range.end > range.start) {
      this.transport.setLoopPoints(range.start, range.end)
      this.transport.loop = true
    } else {
      this.transport.loop = false
    }
    this.emit()
  }

  get playing(): boolean {
    return this.transport.state === 'started'
  }

  /** The transport position, in seconds from the top. */
  get position(): Seconds {
    return this.playing ? this.transport.seconds : (this.parked ?? this.transport.seconds)
  }

  trackLevel(trackId: string): Decibels {
    return this.graph?.trackLevel(trackId) ?? -Infinity
  }

  masterLevel(): Decibels {
    return this.graph?.masterLevel() ?? -Infinity
  }

  /** Renders a recipe offline with the stems loaded so far (same graph as live playback). */
  render(recipe: Recipe, onProgress?: (fraction: NormalRange) => void): Promise<AudioBuffer> {
    return renderRecipe(recipe, this.decoded, { sampleRate: this.context.sampleRate, onProgress })
  }

  dispose(): void {
    this.disposed = true
    this.abort.abort()
    this.letRest() // whatever waits for it sees the abort
    clearTimeout(this.progressTimer)
    clearTimeout(this.restTimer)
    if (this.restIdle !== undefined) cancelIdleCallback(this.restIdle)
    this.transport.stop()
    this.transport.loop = false
    if (this.endEvent !== undefined) this.transport.clear(this.endEvent)
    this.graph?.dispose()
    this.graph = undefined
    this.listeners.clear()
    forgetPasses() // the studio was left: its rendered passes are no use to the next one
  }
}
