import { useCallback, useRef, useState } from 'react'
import type { ExportFormat } from '../../core/api/formats.ts'
import type { ExportNotice } from '../../core/campaign/markability.ts'
import { runExport, type ExportStep } from './exportFlow.ts'
import type { SavedRemix } from './useAutosave.ts'

type Options = {
  /** Saves the remix first: the server exports the saved version. */
  save: () => Promise<SavedRemix>
  signedIn: boolean
  /** The licence allows the remix as it stands. */
  allowed: boolean
  /** The campaign's exports go out unwatermarked, or are not offered (the campaign's `exportNotice`). */
  notice: ExportNotice | null
}

/**
 * The studio's export: whether it is allowed now (`blocked` says why not), the step the server's
 * job is at, and opening it (`start`: the fan chooses the formats), running it in the chosen
 * formats (`run`) or closing it. Closing abandons the job's progress, not the job.
 */
export function useExport({ save, signedIn, allowed, notice }: Options) {
  const [step, setStep] = useState<ExportStep>({ step: 'idle' })
  const current = useRef<AbortController | null>(null)
  const start = useCallback(() => setStep({ step: 'choosing' }), [])
  const run = useCallback(
    (formats: readonly ExportFormat[]) => {
      const abort = new AbortController()
      current.current = abort
      void runExport({
        save,
        formats,
        onStep: (next) => !abort.signal.aborted && setStep(next),
        signal: abort.signal,
      })
    },
    [save],
  )
  const close = useCallback(() => {
    current.current?.abort()
    setStep({ step: 'idle' })
  }, [])
  const blocked = notice?.refused
    ? notice.message
    : !signedIn
      ? 'Log in to export'
      : !allowed
        ? 'The licence does not allow this remix yet: see the licence panel'
        : null
  return { step, blocked, start, run, close }
}
