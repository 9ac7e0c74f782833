import { isErrorCode, type ApiErrorOf, type ErrorCode, type ExtrasOf } from '../core/api/errors.ts'
import { takeEarly } from './studio/early-start.ts'

/** Codes only the client raises: no answer at all, or an answer that is not the API's. */
export type ClientErrorCode = 'network' | 'http_error' | 'audio_unavailable' | 'artists_only'

/** A failed API call: the worker's code, message and the fields its code carries. */
export class ApiError extends Error {
  readonly code: ErrorCode | ClientErrorCode
  readonly status: number
  /** The error's fields beside code and message (violations, current, missing, issues…). */
  readonly details: Record<string, unknown>
  constructor(
    status: number,
    code: ErrorCode | ClientErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }

  /** Whether this is the API's error `code`; then `details` are that code's fields. */
  is<C extends ErrorCode>(code: C): this is ApiError & { code: C; details: ExtrasOf<C> } {
    return this.code === code
  }

  /** The whole error as the API sent it, typed by its code, when it has that code. */
  as<C extends ErrorCode>(code: C): ApiErrorOf<C> | null {
    return this.is(code)
      ? ({ ...this.details, code, message: this.message } as ApiErrorOf<C>)
      : null
  }
}

/**
 * Whether a failed request is worth repeating: the server was not reached (status 0), timed out,
 * was busy or failed on its side. A 4xx other than those is the request's own fault.
 */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false
  return err.status === 0 || err.status === 408 || err.status === 429 || err.status >= 500
}

/** Reads an error body into an ApiError, keeping every field; a body that is not the API's is `http_error`. */
export function apiErrorFrom(status: number, statusText: string, body: unknown): ApiError {
  const error = (body as { error?: Record<string, unknown> } | null)?.error ?? {}
  const { code, message, ...details } = error
  return new ApiError(
    status,
    isErrorCode(code) ? code : 'http_error',
    typeof message === 'string' ? message : statusText || 'The request failed',
    details,
  )
}

/** The one HTTP client of the web app: JSON answers, failures as ApiError with their details. */
export async function request<T>(
  path: string,
  init?: RequestInit,
  signal?: AbortSignal,
): Promise<T> {
  let res: Response
  try {
    // a GET index.html's first script made already (at a studio's address): its answer
    const early = init ? undefined : takeEarly(path)
    res = await (early ?? fetch(path, { ...init, signal, credentials: 'same-origin' }))
  } catch (err) {
    if (signal?.aborted) throw err
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection.')
  }
  if (!res.ok) throw apiErrorFrom(res.status, res.statusText, await res.json().catch(() => null))
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

/** A JSON body sent with `method` (POST unless told), and any extra headers. */
export function jsonInit(
  body: unknown,
  method = 'POST',
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}

/** What an upload with progress reports: bytes sent so far, and when every byte is sent. */
export type UploadProgress = {
  onProgress?: (loaded: number, total: number) => void
  onUploaded?: () => void
  signal?: AbortSignal
}

/**
 * Sends a raw body with upload progress (XMLHttpRequest: fetch cannot report it); the answer and
 * its errors read as `request()`'s do. An abort rejects with an AbortError.
 */
export function upload<T>(
  method: 'POST' | 'PUT',
  path: string,
  body: Blob,
  contentType: string,
  { onProgress, onUploaded, signal }: UploadProgress = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'))
    const xhr = new XMLHttpRequest()
    xhr.open(method, path)
    xhr.setRequestHeader('Content-Type', contentType)
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : 0)
    if (onUploaded) xhr.upload.onload = onUploaded
    const onAbort = () => xhr.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    const done = () => signal?.removeEventListener('abort', onAbort)
    xhr.onabort = () => {
      done()
      reject(new DOMException('Aborted', 'AbortError'))
    }
    xhr.onerror = () => {
      done()
      reject(new ApiError(0, 'network', 'The connection dropped while uploading.'))
    }
    xhr.onload = () => {
      done()
      let answer: unknown = null
      try {
        answer = JSON.parse(xhr.responseText)
      } catch {
        answer = null
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(answer as T)
      reject(apiErrorFrom(xhr.status, xhr.statusText, answer))
    }
    xhr.send(body)
  })
}

/** The Content-Type an audio file is sent with: its own when it says audio, else octet-stream. */
export const audioType = (file: Blob) =>
  file.type.startsWith('audio/') ? file.type : 'application/octet-stream'
