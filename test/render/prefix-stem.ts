import { encodeHeads, STEM_HEADS_TYPE } from '../../core/api/stem-heads.ts'
import { PREFIX_BYTES } from '../../web/api.ts'
import { RATE, rmsOf } from './signals.ts'

/**
 * The demo stem the prefix tests play: 1.6 minutes of 160 kbit/s MP3, about 1.9 MB (several
 * prefixes long). The pads are the one that sounds from its first seconds (the drums come in at 16 s).
 */
export const STEM = '/stems/audio/pads.mp3'

/** Whether a request is for the stems' first bytes (fetchHeads: by stem ids or by campaign). */
export const isHeads = (input: RequestInfo | URL) =>
  /^\/api\/(stems|campaigns\/[^/]+)\/heads\?/.test(String(input))

/** STEM decoded whole and its prefix alone, and the first second of it that sounds. */
export async function decodedStem(): Promise<{
  bytes: ArrayBuffer
  whole: AudioBuffer
  head: AudioBuffer
  loud: number
}> {
  const bytes = await (await fetch(STEM)).arrayBuffer()
  const decoder = new OfflineAudioContext(2, 1, 44_100)
  const whole = await decoder.decodeAudioData(bytes.slice(0))
  const head = await decoder.decodeAudioData(bytes.slice(0, PREFIX_BYTES))
  const left = whole.getChannelData(0)
  let loud = 0
  while (rmsOf(left, loud * RATE, (loud + 1) * RATE) < 0.01) loud++
  return { bytes, whole, head, loud }
}

/**
 * What GET /api/stems/heads answers (the worker is not running here): each named stem's first
 * bytes (every stem of `urls` for a campaign's heads, which name none), read from `urls` (id → file) by Range, framed as the route frames them, with the ETag the
 * file is served with (the rest's, by Range, is checked against it).
 */
export async function headsResponse(
  url: string,
  urls: Readonly<Record<string, string>>,
  fetcher: typeof fetch,
): Promise<Response> {
  const query = new URL(url, location.href).searchParams
  const bytes = Number(query.get('bytes'))
  const ids = query.get('ids')?.split(',') ?? Object.keys(urls)
  const heads = await Promise.all(
    ids.map(async (id) => {
      const res = await fetcher(urls[id]!, { headers: { Range: `bytes=0-${bytes - 1}` } })
      const head = new Uint8Array(await res.arrayBuffer())
      const total = Number(/\/(\d+)$/.exec(res.headers.get('Content-Range') ?? '')?.[1])
      const etag = res.headers.get('ETag') ?? ''
      return { id, length: head.length, total, etag, bytes: head }
    }),
  )
  return new Response(encodeHeads(heads), { headers: { 'Content-Type': STEM_HEADS_TYPE } })
}
