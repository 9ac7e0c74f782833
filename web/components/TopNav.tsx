import { useState } from 'react'
import type { UserView } from '../../core/api/users.ts'
import { navigate } from '../store/route.ts'

type Props = {
  user: UserView | null
  pathname: string
  onLogout: () => void
  /** Whether to offer "Log in" (not on the login page itself). */
  offerLogin: boolean
}

/**
 * The site's header. On a laptop every link is in one row; on a phone (≤ 480 px) the links fold
 * behind a Menu button, so the header stays one line and the page starts at the top of the screen.
 * The menu closes when a link is followed, on Escape, and when the page changes.
 */
export function TopNav({ user, pathname, onLogout, offerLogin }: Props) {
  // open for one page only: following a link (or Back) closes it without an effect
  const [openOn, setOpenOn] = useState<string | null>(null)
  const open = openOn === pathname
  const go = (path: string) => (e: React.MouseEvent) => {
    e.preventDefault()
    setOpenOn(null)
    navigate(path)
  }
  return (
    <nav className="top" onKeyDown={(e) => e.key === 'Escape' && setOpenOn(null)}>
      <a href="/" className="brand" onClick={go('/')}>
        Stemfair
      </a>
      <span className="tagline">licensed stems · fair remixes</span>
      <button
        type="button"
        className="nav-menu"
        aria-expanded={open}
        aria-controls="nav-links"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        Menu
      </button>
      <div id="nav-links" className="nav-links" data-open={open || undefined}>
        <a className="nav-verify" href="/verify" onClick={go('/verify')}>
          Verify a file
        </a>
        {user ? (
          <span className="nav-login">
            <a href="/me/remixes" onClick={go('/me/remixes')}>
              My remixes
            </a>
            <span className="nav-sep"> · </span>
            <a href="/console" onClick={go('/console')}>
              Console
            </a>
            <span className="nav-sep"> · </span>
            <span className="nav-user">{user.displayName}</span>
            <span className="nav-sep"> · </span>
            <button
              type="button"
              className="link"
              onClick={() => {
                setOpenOn(null)
                onLogout()
              }}
            >
              Log out
            </button>
          </span>
        ) : (
          offerLogin && (
            <a
              className="nav-login"
              href="/login"
              onClick={go(`/login?next=${encodeURIComponent(pathname)}`)}
            >
              Log in
            </a>
          )
        )}
      </div>
    </nav>
  )
}
