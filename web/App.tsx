import { CampaignPage } from './pages/CampaignPage.tsx'
import { Home } from './pages/Home.tsx'
import { navigate, routeFrom, usePathname } from './store/route.ts'

/** The shell: header and the page for the current route. */
export function App() {
  const route = routeFrom(usePathname())
  return (
    <>
      <nav className="top">
        <a
          href="/"
          className="brand"
          onClick={(e) => {
            e.preventDefault()
            navigate('/')
          }}
        >
          Stemfair
        </a>
        <span className="tagline">licensed stems · fair remixes</span>
      </nav>
      {route.page === 'home' && <Home />}
      {route.page === 'campaign' && <CampaignPage key={route.slug} slug={route.slug} />}
      {route.page === 'not-found' && (
        <main className="pad">
          <h1>Page not found</h1>
          <a href="/">Back to all campaigns</a>
        </main>
      )}
    </>
  )
}
