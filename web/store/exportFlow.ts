import type { ExportView } from '../../core/campaign/views.ts'
import { api, ApiError, uploadExport } from '../api.ts'

/** The steps of an export, as the dialog shows them. */
export type ExportStep =
  | { step: 'idle' }
  | { step: 'saving' }
  | { step: 'rendering'; progress: number }
  | { step: 'encoding' }
  | { step: 'uploading'; progress: number }
  | { step: 'processing'; exportId: string }
  | { step: 'ready'; export: ExportView }
  | { step: 'failed'; message: string; violations: { code: string; message: string }[] }

type Deps = {
  save: () => Promise<{ id: string; version: number }>
  render: (onProgress: (f: number) => void) => Promise<AudioBuffer>
  encode: (buffer: AudioBuffer) => Promise<Blob>
  onStep: (step: ExportStep) => void
  signal: AbortSignal
  pollMs?: number
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => (clearTimeout(t), reject(new DOMException('aborted', 'AbortError'))),
    )
  })

/** Consecutive failed status requests tolerated while the worker processes an export. */
const MAX_POLL_MISSES = 8

/** A network failure or a server-side error (5xx, 429): worth asking again. */
const isTransient = (err: unknown) =>
  err instanceof TypeError || (err instanceof ApiError && (err.status >= 500 || err.status === 429))

/**
 * Saves, renders the recipe offline (the same graph as the preview), encodes a WAV off the main
 * thread, uploads it, and follows the export until the worker has tagged and stored it.
 */
export async function runExport({
  save,
  render,
  encode,
  onStep,
  signal,
  pollMs = 700,
}: Deps): Promise<void> {
  try {
    onStep({ step: 'saving' })
    const remix = await save()
    onStep({ step: 'rendering', progress: 0 })
    const audio = await render((progress) => onStep({ step: 'rendering', progress }))
    signal.throwIfAborted()
    onStep({ step: 'encoding' })
    const wav = await encode(audio)
    signal.throwIfAborted()
    onStep({ step: 'uploading', progress: 0 })
    const { export: created } = await uploadExport(remix.id, remix.version, wav, (progress) =>
      onStep({ step: 'uploading', progress }),
    )
    let current = created
    let misses = 0
    while (current.status === 'queued' || current.status === 'processing') {
      onStep({ step: 'processing', exportId: current.id })
      await wait(pollMs * 2 ** Math.min(misses, 4), signal)
      try {
        current = (await api.exportStatus(current.id, signal)).export
        misses = 0
      } catch (err) {
        // A busy worker (the job shares it) may drop a status request: ask again, within reason.
        if (signal.aborted || !isTransient(err) || ++misses > MAX_POLL_MISSES) throw err
      }
    }
    if (current.status === 'rejected')
      return onStep({
        step: 'failed',
        message: current.reason ?? 'The export was rejected.',
        violations: [],
      })
    onStep({ step: 'ready', export: current })
  } catch (err) {
    if (signal.aborted) return
    const violations =
      err instanceof ApiError && Array.isArray(err.details.violations)
        ? (err.details.violations as { code: string; message: string }[])
        : []
    onStep({ step: 'failed', message: (err as Error).message, violations })
  }
}
