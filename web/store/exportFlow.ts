import type { ExportView } from '../../core/api/exports.ts'
import type { ExportFormat } from '../../core/api/formats.ts'
import { api } from '../api.ts'
import { ApiError, isRetryable } from '../request.ts'

/** The steps of an export, as the dialog shows them: the server's job, as it reports it. */
export type ExportStep =
  | { step: 'idle' }
  | { step: 'choosing' }
  | { step: 'saving' }
  | { step: 'queued' }
  | { step: 'rendering'; progress: number }
  | { step: 'encoding' }
  | { step: 'signing' }
  | { step: 'ready'; export: ExportView }
  | { step: 'failed'; message: string; violations: { code: string; message: string }[] }

type Deps = {
  save: () => Promise<{ id: string; version: number }>
  /** The files the fan chose. */
  formats: readonly ExportFormat[]
  onStep: (step: ExportStep) => void
  signal: AbortSignal
  pollMs?: number
  /** A fresh Idempotency-Key per export (tests pass their own). */
  newKey?: () => string
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => (clearTimeout(t), reject(new DOMException('aborted', 'AbortError'))),
    )
  })

/** Consecutive failed requests tolerated (asking again with the same key is safe). */
const MAX_MISSES = 8

/** What the dialog shows of an export the server is working on. */
function stepOf(view: ExportView): ExportStep {
  if (view.status === 'queued' || view.stage === 'queued') return { step: 'queued' }
  if (view.stage === 'rendering') return { step: 'rendering', progress: view.progress }
  if (view.stage === 'encoding') return { step: 'encoding' }
  return { step: 'signing' }
}

/**
 * Saves the remix, asks the server to export that version (it renders, watermarks, tags and
 * signs it from the licensed stems), and follows the job until the files are ready. A dropped
 * request is sent again with the same Idempotency-Key, so it can never make a second export.
 */
export async function runExport({
  save,
  formats,
  onStep,
  signal,
  pollMs = 700,
  newKey = () => crypto.randomUUID(),
}: Deps): Promise<void> {
  let misses = 0
  const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        const result = await call()
        misses = 0
        return result
      } catch (err) {
        if (signal.aborted || !isRetryable(err) || ++misses > MAX_MISSES) throw err
        await wait(pollMs * 2 ** Math.min(misses, 4), signal)
      }
    }
  }
  try {
    onStep({ step: 'saving' })
    const remix = await save()
    const key = newKey()
    let current = (
      await retrying(() => api.createExport(remix.id, remix.version, formats, key, signal))
    ).export
    while (current.status === 'queued' || current.status === 'processing') {
      onStep(stepOf(current))
      await wait(pollMs, signal)
      current = (await retrying(() => api.exportStatus(current.id, signal))).export
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
