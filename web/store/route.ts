import { useSyncExternalStore } from 'react'

/** What the address bar points at. */
export type Route =
  | { page: 'home' }
  | { page: 'campaign'; slug: string }
  | { page: 'studio'; slug: string }
  | { page: 'quick'; slug: string }
  | { page: 'remix'; id: string }
  | { page: 'login' }
  | { page: 'console' }
  | { page: 'my-remixes' }
  | { page: 'moderation' }
  | { page: 'admin' }
  | { page: 'wizard'; id: string | null; step: string }
  | { page: 'share'; id: string }
  | { page: 'embed'; id: string }
  | { page: 'verify' }
  | { page: 'not-found' }

/** A campaign's studio's address; its first group is the campaign's slug. */
export const STUDIO_PATH = /^\/c\/([a-z0-9-]+)\/studio\/?$/

/** Pure: a pathname to a route. */
export function routeFrom(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' }
  if (pathname === '/login') return { page: 'login' }
  if (/^\/verify\/?$/.test(pathname)) return { page: 'verify' }
  if (pathname === '/console') return { page: 'console' }
  if (/^\/me\/remixes\/?$/.test(pathname)) return { page: 'my-remixes' }
  if (/^\/console\/moderation\/?$/.test(pathname)) return { page: 'moderation' }
  if (/^\/console\/admin\/?$/.test(pathname)) return { page: 'admin' }
  if (/^\/console\/campaigns\/new\/?$/.test(pathname))
    return { page: 'wizard', id: null, step: 'details' }
  const wizard = /^\/console\/campaigns\/([A-Za-z0-9_-]+)(?:\/([a-z]+))?\/?$/.exec(pathname)
  if (wizard) return { page: 'wizard', id: wizard[1]!, step: wizard[2] ?? 'details' }
  const campaign = /^\/c\/([a-z0-9-]+)\/?$/.exec(pathname)
  if (campaign) return { page: 'campaign', slug: campaign[1]! }
  const studio = STUDIO_PATH.exec(pathname)
  if (studio) return { page: 'studio', slug: studio[1]! }
  const quick = /^\/c\/([a-z0-9-]+)\/quick\/?$/.exec(pathname)
  if (quick) return { page: 'quick', slug: quick[1]! }
  const share = /^\/r\/([A-Za-z0-9_-]+)\/?$/.exec(pathname)
  if (share) return { page: 'share', id: share[1]! }
  const embed = /^\/embed\/([A-Za-z0-9_-]+)\/?$/.exec(pathname)
  if (embed) return { page: 'embed', id: embed[1]! }
  const remix = /^\/remix\/([A-Za-z0-9_-]+)\/?$/.exec(pathname)
  if (remix) return { page: 'remix', id: remix[1]! }
  return { page: 'not-found' }
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange)
  return () => window.removeEventListener('popstate', onChange)
}

/** The current pathname, re-rendering on navigation. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname)
}

/** Client-side navigation. */
export function navigate(path: string): void {
  window.history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}
