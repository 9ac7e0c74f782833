import { z } from 'zod'
import { MAX_VERIFY_BYTES } from '../../core/campaign/verification.ts'
import { DomainError } from '../../core/errors.ts'
import { readBody } from './read-body.ts'

/** The headers of a request that sends an audio file to examine (verify, takedown notices). */
export const AudioBodyHeaderSchema = z.object({
  'content-type': z
    .string({ error: 'send the file with a Content-Type' })
    .regex(
      /^(audio\/[\w.+-]+|application\/octet-stream|multipart\/form-data)\b/i,
      'send the audio file as the body (Content-Type audio/* or application/octet-stream), ' +
        'or as multipart/form-data with a "file" field',
    ),
})

function tooLarge(): never {
  throw new DomainError(
    'payload_too_large',
    `A file to verify can be at most ${MAX_VERIFY_BYTES / 1024 / 1024} MiB.`,
  )
}

/** The audio bytes of the request: the raw body, or the `file` field of a form. */
export async function audioBytesOf(req: Request, contentType: string): Promise<Uint8Array> {
  const body = await readBody(req, MAX_VERIFY_BYTES, tooLarge)
  if (!/^multipart\/form-data/i.test(contentType)) return body
  let file: File | string | null = null
  try {
    file = (await new Response(body, { headers: { 'Content-Type': contentType } }).formData()).get(
      'file',
    )
  } catch {
    throw new DomainError('bad_request', 'The form data is malformed.')
  }
  if (!file || typeof file === 'string')
    throw new DomainError('bad_request', 'Put the audio file in a form field named "file".')
  return new Uint8Array(await file.arrayBuffer())
}
