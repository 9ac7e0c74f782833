import type { ShareView } from '../core/api/exports.ts'
import type { Bindings } from './env.ts'

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** Open Graph and Twitter card tags for a shared remix. */
export function openGraphTags(share: ShareView, pageUrl: string, imageUrl?: string): string {
  const title = `${share.title} — remix by ${share.fan}`
  const description = `${share.aiLabel}: “${share.campaign.title}” by ${share.campaign.artist}. Credits and licence inside.`
  const audio = new URL(share.audioUrl, pageUrl).href
  const tags: [string, string][] = [
    ['og:type', 'music.song'],
    ['og:site_name', 'Stemfair'],
    ['og:title', title],
    ['og:description', description],
    ['og:url', pageUrl],
    ['og:audio', audio],
    ['og:audio:type', 'audio/mpeg'],
    ...(imageUrl
      ? ([
          ['og:image', imageUrl],
          ['og:image:type', 'image/png'],
        ] as [string, string][])
      : []),
    ['twitter:card', imageUrl ? 'summary_large_image' : 'summary'],
    ['twitter:title', title],
    ['twitter:description', description],
  ]
  return tags.map(([p, v]) => `<meta property="${p}" content="${escape(v)}" />`).join('')
}

/** The plain page a taken-down remix's link answers with: 410, no app, nothing of the remix. */
export function takenDownPage(): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8" /><meta name="robots" content="noindex" /><title>Remix taken down · Stemfair</title></head><body><main><h1>This remix was taken down</h1><p>It was removed from Stemfair and can no longer be played or downloaded.</p><p><a href="/">Stemfair</a></p></main></body></html>`
  return new Response(html, {
    status: 410,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

/**
 * `/r/:id`: the web app's page with the share's Open Graph tags in its head, so links unfurl.
 * The share's data comes through the API (same visibility rules); the page itself is the SPA.
 */
export async function sharePage(
  request: Request,
  env: Bindings,
  api: (request: Request) => Promise<Response>,
): Promise<Response> {
  const url = new URL(request.url)
  const id = url.pathname.split('/')[2] ?? ''
  const apiUrl = new URL(`/api/share/${encodeURIComponent(id)}`, url)
  const data = await api(new Request(apiUrl, { headers: request.headers }))
  if (data.status === 410) return takenDownPage()
  const page = await env.ASSETS.fetch(new Request(new URL('/', url)))
  if (!data.ok) return new Response(page.body, { status: data.status, headers: page.headers })
  const { share } = (await data.json()) as { share: ShareView }
  // The remix's artwork, when it has one, is the link's preview image.
  const artUrl = new URL(`/api/share/${encodeURIComponent(id)}/artwork`, url)
  const art = await api(new Request(artUrl, { headers: request.headers }))
  await art.body?.cancel()
  const html = new HTMLRewriter()
    .on('title', {
      element(e) {
        e.setInnerContent(`${share.title} · Stemfair`)
      },
    })
    .on('head', {
      element(e) {
        e.append(openGraphTags(share, url.href, art.ok ? artUrl.href : undefined), { html: true })
      },
    })
    .transform(page)
  return new Response(html.body, { status: 200, headers: html.headers })
}
