/**
 * Reads a request body into one buffer, calling `tooLarge` (which throws) as soon as the declared
 * Content-Length or the bytes actually streamed pass `max`.
 */
export async function readBody(
  req: Request,
  max: number,
  tooLarge: () => never,
): Promise<Uint8Array> {
  const declared = Number(req.headers.get('Content-Length') ?? NaN)
  if (declared > max) tooLarge()
  if (!req.body) return new Uint8Array(0)
  let buffer = new Uint8Array(Number.isInteger(declared) && declared >= 0 ? declared : 1 << 20)
  let size = 0
  const reader = req.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (size + value.length > max) {
      await reader.cancel()
      tooLarge()
    }
    if (size + value.length > buffer.length) {
      const grown = new Uint8Array(Math.min(max, Math.max(buffer.length * 2, size + value.length)))
      grown.set(buffer.subarray(0, size))
      buffer = grown
    }
    buffer.set(value, size)
    size += value.length
  }
  return buffer.subarray(0, size)
}
