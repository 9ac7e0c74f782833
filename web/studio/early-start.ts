/** A request earlyStart makes: its path (with the slug's placeholder) and its fetch priority. */
export type EarlyRequest = { path: string; priority?: RequestPriority }

type EarlyWindow = { stemfairEarly?: Record<string, Promise<Response>> }

/**
 * index.html's first script, inline (vite.config's earlyStudio writes its source text there, so
 * it must stay self-contained): at a studio's address (`studio`, a pattern whose first group is
 * the slug) it asks for each of `requests` (`slug` in their paths replaced by the address's) and
 * for the studio's code (`chunk`, a module preload) before any of the app's scripts has arrived.
 * The app takes each answer once (takeEarly) instead of asking again.
 */
export function earlyStart(
  pathname: string,
  studio: string,
  slug: string,
  requests: readonly EarlyRequest[],
  chunk: string,
): void {
  const match = new RegExp(studio).exec(pathname)
  if (!match) return
  // the chunk first: of the browser's six connections the page's own scripts take four
  const link = document.createElement('link')
  link.rel = 'modulepreload'
  link.href = chunk
  document.head.append(link)
  const asked: Record<string, Promise<Response>> = {}
  for (const { path, priority } of requests) {
    const url = path.split(slug).join(match[1])
    const res = fetch(url, { credentials: 'same-origin', priority })
    res.catch(() => undefined) // whoever takes it sees the failure
    asked[url] = res
  }
  ;(globalThis as EarlyWindow).stemfairEarly = asked
}

/** The answer earlyStart asked for at `url`, once: a later request asks anew. */
export function takeEarly(url: string): Promise<Response> | undefined {
  const asked = (globalThis as EarlyWindow).stemfairEarly
  const res = asked?.[url]
  if (res) delete asked[url]
  return res
}
