import * as Tone from 'tone'
import type { Decibels, Seconds } from '../../core/units.ts'
import { fetchAudio } from '../api.ts'

/** Where a stem's audio is on its way to playable. */
export type LoadState = 'idle' | 'fetching' | 'decoding' | 'ready' | 'error'

export type StemStatus = { state: LoadState; progress: number; error?: string }

type Channel = { player: Tone.Player; gain: Tone.Gain; meter: Tone.Meter; status: StemStatus }

type Listener = () => void

const RAMP: Seconds = 0.015

/**
 * Plays a campaign's stems in lockstep: every stem is a Tone.Player synced to the one Transport,
 * so they start, seek and pause on the same audio-clock sample.
 */
export class StemPlayer {
  private readonly channels = new Map<string, Channel>()
  private readonly listeners = new Set<Listener>()
  private readonly transport = Tone.getTransport()
  private readonly abort = new AbortController()
  private durationSeconds: Seconds = 0

  constructor(private readonly stems: readonly { id: string; url: string }[]) {
    for (const { id } of stems) {
      const gain = new Tone.Gain(1).toDestination()
      const meter = new Tone.Meter({ smoothing: 0.5 })
      gain.connect(meter)
      const player = new Tone.Player().connect(gain)
      this.channels.set(id, { player, gain, meter, status: { state: 'idle', progress: 0 } })
    }
    this.transport.stop()
    this.transport.seconds = 0
  }

  /** Subscribes to status changes; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(): void {
    for (const l of this.listeners) l()
  }

  private setStatus(id: string, status: StemStatus): void {
    this.channels.get(id)!.status = status
    this.emit()
  }

  status(id: string): StemStatus {
    return this.channels.get(id)?.status ?? { state: 'idle', progress: 0 }
  }

  /** Fetches and decodes every stem; each reports its own state, failures stay per stem. */
  async load(): Promise<void> {
    const { signal } = this.abort
    await Promise.all(
      this.stems.map(async ({ id, url }) => {
        const channel = this.channels.get(id)!
        try {
          this.setStatus(id, { state: 'fetching', progress: 0 })
          const encoded = await fetchAudio(
            url,
            (progress) => this.setStatus(id, { state: 'fetching', progress }),
            signal,
          )
          this.setStatus(id, { state: 'decoding', progress: 1 })
          const decoded = await Tone.getContext().decodeAudioData(encoded)
          if (signal.aborted) return
          channel.player.buffer = new Tone.ToneAudioBuffer(decoded)
          channel.player.sync().start(0)
          this.durationSeconds = Math.max(this.durationSeconds, decoded.duration)
          this.setStatus(id, { state: 'ready', progress: 1 })
        } catch (err) {
          if (signal.aborted) return
          this.setStatus(id, { state: 'error', progress: 0, error: (err as Error).message })
        }
      }),
    )
  }

  get ready(): boolean {
    return [...this.channels.values()].every((c) => c.status.state === 'ready')
  }

  get duration(): Seconds {
    return this.durationSeconds
  }

  get playing(): boolean {
    return this.transport.state === 'started'
  }

  /** The transport position, in seconds from the top. */
  get position(): Seconds {
    return this.transport.seconds
  }

  /** Starts playback; call from a user gesture (it resumes the AudioContext). */
  async play(): Promise<void> {
    await Tone.start()
    if (this.position >= this.durationSeconds) this.transport.seconds = 0
    this.transport.start()
    this.emit()
  }

  pause(): void {
    this.transport.pause()
    this.emit()
  }

  seek(seconds: Seconds): void {
    this.transport.seconds = Math.min(Math.max(0, seconds), this.durationSeconds)
    this.emit()
  }

  /** Sets which stems are heard, ramping gains so that switching never clicks. */
  setAudible(audible: ReadonlyMap<string, boolean>): void {
    for (const [id, channel] of this.channels)
      channel.gain.gain.rampTo(audible.get(id) ? 1 : 0, RAMP)
  }

  /** A stem's level after mute/solo, in dBFS (−Infinity when silent). */
  level(id: string): Decibels {
    const value = this.channels.get(id)?.meter.getValue()
    return typeof value === 'number' ? value : -Infinity
  }

  /** A stem's gain after mute/solo: what the graph really applies. */
  gain(id: string): number {
    return this.channels.get(id)?.gain.gain.value ?? 0
  }

  dispose(): void {
    this.abort.abort()
    this.transport.stop()
    this.transport.cancel()
    for (const c of this.channels.values()) {
      c.player.unsync().dispose()
      c.meter.dispose()
      c.gain.dispose()
    }
    this.channels.clear()
    this.listeners.clear()
  }
}
