import { useCallback, useEffect, useRef, useState } from 'react'
import { artistApi, type UploadKind, type UploadResult } from '../api-artist.ts'
import { MultipartUpload, uploadKey } from './multipart.ts'

/** One file on its way to the worker. */
export type UploadItem = {
  key: string
  file: File
  kind: UploadKind
  loaded: number
  total: number
  status: 'uploading' | 'failed'
  error: string | null
}

/**
 * The uploads of a campaign's files: start, cancel and retry them (a retry resumes where the
 * upload stopped), with per-file and overall progress. Warns before leaving while files upload.
 */
export function useUploads(
  campaignId: string,
  onDone: (result: UploadResult, file: File) => void | Promise<void>,
) {
  const [items, setItems] = useState<UploadItem[]>([])
  const [batchDone, setBatchDone] = useState(0) // bytes of this batch's finished files
  const running = useRef(new Map<string, MultipartUpload>())
  const done = useRef(onDone)
  done.current = onDone

  const update = (key: string, change: Partial<UploadItem>) =>
    setItems((all) => all.map((it) => (it.key === key ? { ...it, ...change } : it)))

  const start = useCallback(
    (file: File, kind: UploadKind) => {
      const key = uploadKey(campaignId, file)
      if (running.current.has(key)) return
      const upload = new MultipartUpload({
        campaignId,
        file,
        kind,
        transport: artistApi,
        onProgress: ({ loaded }) => update(key, { loaded }),
      })
      running.current.set(key, upload)
      setItems((all) => [
        ...all.filter((it) => it.key !== key),
        { key, file, kind, loaded: 0, total: file.size, status: 'uploading', error: null },
      ])
      upload.done.then(
        async (result) => {
          running.current.delete(key)
          setBatchDone((n) => (running.current.size === 0 ? 0 : n + file.size))
          await done.current(result, file)
          setItems((all) => all.filter((it) => it.key !== key))
        },
        (err: Error) => {
          if (running.current.get(key) !== upload) return
          running.current.delete(key)
          if (running.current.size === 0) setBatchDone(0)
          if (err.name === 'AbortError') return
          update(key, { status: 'failed', error: err.message })
        },
      )
    },
    [campaignId],
  )

  const add = useCallback(
    (files: Iterable<File>, kind: UploadKind) => {
      for (const file of files) start(file, kind)
    },
    [start],
  )

  const retry = useCallback(
    (key: string) => {
      const item = items.find((it) => it.key === key)
      if (item) start(item.file, item.kind)
    },
    [items, start],
  )

  const cancel = useCallback(async (key: string) => {
    const upload = running.current.get(key)
    running.current.delete(key)
    if (running.current.size === 0) setBatchDone(0)
    setItems((all) => all.filter((it) => it.key !== key))
    await upload?.abort().catch(() => undefined) // a part of it may be complete already
  }, [])

  const dismiss = useCallback(
    (key: string) => setItems((all) => all.filter((it) => it.key !== key)),
    [],
  )

  const busy = items.some((it) => it.status === 'uploading')
  useEffect(() => {
    if (!busy) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [busy])

  const active = items.filter((it) => it.status === 'uploading')
  const overall = {
    loaded: batchDone + active.reduce((n, it) => n + it.loaded, 0),
    total: batchDone + active.reduce((n, it) => n + it.total, 0),
  }
  return { items, overall, add, retry, cancel, dismiss }
}
