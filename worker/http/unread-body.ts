/**
 * Above this declared size a refused body is not waited for: the client is still sending when
 * the answer arrives, and an HTTP/1.1 client drops a connection whose request it had not finished
 * (undici: "Response completed before request"), so reading the rest would only delay the answer.
 */
const MAX_DISCARDED_BYTES = 16 * 1024 * 1024

/**
 * Reads to its end, and discards, a request body that the route answered without reading (a
 * 401, 404, CSRF or validation refusal). workerd resets the connection under a request whose body
 * the Worker left unread, without saying `Connection: close`; a client that reuses the
 * connection — miniflare's dispatch to workerd, under `npm start` and `npm run dev` — sees its
 * next request (or this answer) fail with "fetch failed". Once read, the connection stays usable.
 * Cancelling the body is not enough: workerd resets the connection all the same.
 */
export async function discardUnreadBody(request: Request): Promise<void> {
  const body = request.body
  if (!body || request.bodyUsed || body.locked) return
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_DISCARDED_BYTES) return
  await body.pipeTo(new WritableStream()).catch(() => {
    // the client went away: nothing is left to keep usable
  })
}
