// The local production server sends the app's JS compressed when the browser accepts it, and the
// bytes it sends decompress to exactly the file served to a client that accepts no encoding.
import { get } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, inject, it } from 'vitest'

const baseUrl = inject('baseUrl')

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A GET whose body is the bytes on the wire (node:http does not decode them, unlike fetch). */
function rawGet(path: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}
    get(`${baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on('error', reject)
    }).on('error', reject)
  })
}

async function entryScript(): Promise<string> {
  const html = (await rawGet('/')).body.toString('utf8')
  const src = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1]
  expect(src).toBeTruthy()
  return src!
}

describe('compression on the local production server', () => {
  it('sends the entry JS as brotli or gzip when asked, smaller and byte-identical once decoded', async () => {
    const path = await entryScript()
    const plain = await rawGet(path)
    expect(plain.status).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.length).toBeGreaterThan(10_000)

    const br = await rawGet(path, 'gzip, deflate, br')
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['content-type']).toMatch(/javascript/)
    expect(br.body.length).toBeLessThan(plain.body.length / 2)
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true)

    const gz = await rawGet(path, 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.body.length).toBeLessThan(plain.body.length / 2)
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true)
  })

  it('compresses the API JSON too, and leaves a refused encoding alone', async () => {
    const plain = await rawGet('/api/campaigns/copper-moons')
    expect(plain.status).toBe(200)
    expect(plain.body.length).toBeGreaterThan(1024)
    const gz = await rawGet('/api/campaigns/copper-moons', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.body.length).toBeLessThan(plain.body.length)
    expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(
      JSON.parse(plain.body.toString('utf8')),
    )
    const refused = await rawGet(await entryScript(), 'br;q=0, identity')
    expect(refused.headers['content-encoding']).toBeUndefined()
  })
})
