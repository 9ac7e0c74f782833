import { useCallback, useRef, useState } from 'react'
import { ApiError } from '../../request.ts'

/** Where a step's last save is. */
export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved' }
  | { status: 'error'; error: ApiError | Error }

/** Runs saves one after another and tracks the last one's outcome for the step's status line. */
export function useSave() {
  const [state, setState] = useState<SaveState>({ status: 'idle' })
  const queue = useRef<Promise<unknown>>(Promise.resolve())
  const run = useCallback(<T>(save: () => Promise<T>): Promise<T | null> => {
    const next = queue.current.then(async () => {
      setState({ status: 'saving' })
      try {
        const result = await save()
        setState({ status: 'saved' })
        return result
      } catch (err) {
        setState({ status: 'error', error: err as Error })
        return null
      }
    })
    queue.current = next
    return next
  }, [])
  return { state, run, setState }
}

/** The error code of a failed save, if the worker gave one. */
export function codeOf(state: SaveState): string | null {
  return state.status === 'error' && state.error instanceof ApiError ? state.error.code : null
}
