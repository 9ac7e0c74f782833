// A Vite plugin for the local production server (`vite preview`, the worker in workerd): compresses
// text responses as Cloudflare's edge does in production. Workerd's asset handling sends files as
// they are on disk, whatever the request's Accept-Encoding, so without this the studio's JS arrives
// uncompressed locally. Brotli when accepted (quality 5, the edge's dynamic setting), else gzip.
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  constants,
  createBrotliCompress,
  createGzip,
  type Gzip,
  type BrotliCompress,
} from 'node:zlib'
import type { Connect, Plugin } from 'vite'

/** Types worth compressing; audio, images and archives are compressed already. */
const COMPRESSIBLE =
  /^(text\/(html|css|javascript|plain|csv)|application\/(javascript|json|manifest\+json|wasm|xml)|image\/svg\+xml)\b/
/** Below this a compressed body would save less than its framing costs. */
const MIN_BYTES = 1024

/** The encoding to answer with for an Accept-Encoding header, or null for none. */
export function pickEncoding(accept: string | undefined): 'br' | 'gzip' | null {
  if (!accept) return null
  const offered = accept
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, '')) > 0)
    .map(([name]) => name!.trim().toLowerCase())
  if (offered.includes('br')) return 'br'
  if (offered.includes('gzip')) return 'gzip'
  return null
}

function compressible(res: ServerResponse, status: number): boolean {
  if (status !== 200) return false // 206 ranges, 304s and errors pass as they are
  if (res.getHeader('content-encoding')) return false
  const length = Number(res.getHeader('content-length') ?? Infinity)
  if (length < MIN_BYTES) return false
  return COMPRESSIBLE.test(String(res.getHeader('content-type') ?? ''))
}

/** Connect middleware: wraps the response so a compressible body goes through zlib. */
export function compressMiddleware(): Connect.NextHandleFunction {
  return (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction) => {
    const encoding = pickEncoding(req.headers['accept-encoding'])
    if (!encoding || req.method === 'HEAD') return next()
    const write = res.write.bind(res) as (chunk: unknown) => boolean
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse
    const writeHead = res.writeHead.bind(res) as (status: number) => ServerResponse
    let zip: Gzip | BrotliCompress | null = null

    res.writeHead = ((status: number, ...rest: unknown[]) => {
      const headers = rest.find((arg) => typeof arg === 'object' && arg !== null)
      if (headers) {
        for (const [name, value] of Object.entries(headers as Record<string, string | string[]>))
          res.setHeader(name, value)
      }
      res.appendHeader('vary', 'Accept-Encoding')
      if (compressible(res, status)) {
        res.removeHeader('content-length')
        res.setHeader('content-encoding', encoding)
        zip =
          encoding === 'br'
            ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
            : createGzip({ level: 6 })
        zip.on('data', (chunk: Buffer) => write(chunk))
        zip.on('end', () => end())
      }
      return writeHead(status)
    }) as typeof res.writeHead
    // The body is finite (a file or a JSON document): zlib buffers it, so writes never wait.
    res.write = ((chunk: unknown) =>
      zip ? (zip.write(chunk), true) : write(chunk)) as typeof res.write
    res.end = ((chunk?: unknown) => {
      if (!zip) return end(chunk)
      if (chunk !== undefined && typeof chunk !== 'function') zip.end(chunk)
      else zip.end()
      return res
    }) as typeof res.end
    next()
  }
}

/** Compression on the preview server only; the dev server and deployments are left as they are. */
export function compressPreview(): Plugin {
  return {
    name: 'stemfair:compress-preview',
    configurePreviewServer(server) {
      server.middlewares.use(compressMiddleware())
    },
  }
}
