import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from './request.ts'
import { fetchAudio, fetchHeads, PREFIX_BYTES } from './api.ts'

const file = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * seed) % 251)
const stub = (answer: (url: string, headers: Headers) => Response) => {
  const calls: { url: string; headers: Headers }[] = []
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers)
    calls.push({ url, headers })
    return answer(url, headers)
  })
  return calls
}
afterEach(() => vi.unstubAllGlobals())

/** What a server with one stem now (`now`, tag `"now"`) answers to a whole or ranged request. */
function server(now: Uint8Array<ArrayBuffer>) {
  return (_url: string, headers: Headers) => {
    const range = /^bytes=(\d+)-$/.exec(headers.get('Range') ?? '')
    const ifRange = headers.get('If-Range')
    if (!range || (ifRange !== null && ifRange !== '"now"'))
      return new Response(now, { headers: { ETag: '"now"', 'Content-Length': `${now.length}` } })
    const from = Number(range[1])
    if (from >= now.length)
      return Response.json(
        { error: { code: 'range_not_satisfiable', message: 'no' } },
        { status: 416 },
      )
    return new Response(now.slice(from), {
      status: 206,
      headers: { ETag: '"now"', 'Content-Length': `${now.length - from}` },
    })
  }
}

describe('fetchAudio with a head', () => {
  const before = file(3 * PREFIX_BYTES, 7)
  const head = (etag: string, of = before) => ({
    id: 's',
    length: PREFIX_BYTES,
    total: of.length,
    etag,
    bytes: of.slice(0, PREFIX_BYTES),
  })
  const load = (etag: string) =>
    fetchAudio('/a', () => undefined, undefined, {
      bytes: [],
      onPrefix: () => undefined,
      head: Promise.resolve(head(etag)),
    })

  it('asks for the rest by Range with If-Range, and joins it to the head', async () => {
    const calls = stub(server(before))
    const bytes = await load('"now"')
    expect(new Uint8Array(bytes)).toEqual(before)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.headers.get('Range')).toBe(`bytes=${PREFIX_BYTES}-`)
    expect(calls[0]!.headers.get('If-Range')).toBe('"now"')
  })

  it('takes the whole file the server sends when the stem changed since its head', async () => {
    const now = file(2 * PREFIX_BYTES + 5, 11)
    const calls = stub(server(now))
    expect(new Uint8Array(await load('"then"'))).toEqual(now)
    expect(calls).toHaveLength(1)
  })

  it('asks for the whole file again when the rest is past the end of a shorter file (416)', async () => {
    const now = file(PREFIX_BYTES - 10, 13)
    // a server that ignored If-Range: its 416 leads to the whole file, asked for without a range
    const ignoring = stub((url, headers) => {
      if (headers.get('Range'))
        return Response.json(
          { error: { code: 'range_not_satisfiable', message: 'no' } },
          { status: 416 },
        )
      return server(now)(url, headers)
    })
    expect(new Uint8Array(await load('"now"'))).toEqual(now)
    expect(ignoring.map((c) => c.headers.get('Range'))).toEqual([`bytes=${PREFIX_BYTES}-`, null])
  })
})

describe('fetchHeads', () => {
  it("passes on the server's error code and message", async () => {
    stub(() =>
      Response.json(
        { error: { code: 'bad_request', message: 'ids: at most 32 stems' } },
        { status: 400 },
      ),
    )
    const err = await fetchHeads(['a']).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({
      status: 400,
      code: 'bad_request',
      message: 'ids: at most 32 stems',
    })
  })
})
