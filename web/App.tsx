import { lazy, Suspense, useEffect, useState } from 'react'
import type { UserView } from '../core/api/users.ts'
import { api } from './api.ts'
import { TopNav } from './components/TopNav.tsx'
import { isWizardStep } from './components/wizard/steps.ts'
import { Home } from './pages/Home.tsx'
import { LoginPage } from './pages/LoginPage.tsx'
import { navigate, routeFrom, usePathname } from './store/route.ts'

// The first page is the list of campaigns (or the login): every other page, and what it brings
// (Tone.js and the audio engine, the studio, the wizard, the consoles), loads when it is opened.
const CampaignPage = lazy(() =>
  import('./pages/CampaignPage.tsx').then((m) => ({ default: m.CampaignPage })),
)
const StudioPage = lazy(() =>
  import('./pages/StudioPage.tsx').then((m) => ({ default: m.StudioPage })),
)
const QuickPage = lazy(() =>
  import('./pages/QuickPage.tsx').then((m) => ({ default: m.QuickPage })),
)
const SharePage = lazy(() =>
  import('./pages/SharePage.tsx').then((m) => ({ default: m.SharePage })),
)
const EmbedPage = lazy(() =>
  import('./pages/EmbedPage.tsx').then((m) => ({ default: m.EmbedPage })),
)
const VerifyPage = lazy(() =>
  import('./pages/VerifyPage.tsx').then((m) => ({ default: m.VerifyPage })),
)
const ConsolePage = lazy(() =>
  import('./pages/ConsolePage.tsx').then((m) => ({ default: m.ConsolePage })),
)
const MyRemixesPage = lazy(() =>
  import('./pages/MyRemixesPage.tsx').then((m) => ({ default: m.MyRemixesPage })),
)
const ModerationPage = lazy(() =>
  import('./pages/console/ModerationPage.tsx').then((m) => ({ default: m.ModerationPage })),
)
const AdminPage = lazy(() =>
  import('./pages/console/AdminPage.tsx').then((m) => ({ default: m.AdminPage })),
)
const CampaignWizard = lazy(() =>
  import('./pages/console/CampaignWizard.tsx').then((m) => ({ default: m.CampaignWizard })),
)

/** The shell: header with the signed-in user, and the page for the current route. */
export function App() {
  const pathname = usePathname()
  const route = routeFrom(pathname)
  const [user, setUser] = useState<UserView | null>(null)
  useEffect(() => {
    const abort = new AbortController()
    api
      .me(abort.signal)
      .then((r) => setUser(r.user))
      .catch(() => !abort.signal.aborted && setUser(null))
    return () => abort.abort()
  }, [pathname])

  const logout = async () => {
    await api.logout()
    setUser(null)
    navigate('/')
  }

  // the embed player lives in other sites' iframes: no site chrome around it
  if (route.page === 'embed')
    return (
      <Suspense fallback={null}>
        <EmbedPage id={route.id} />
      </Suspense>
    )

  return (
    <>
      <TopNav
        user={user}
        pathname={pathname}
        onLogout={() => void logout()}
        offerLogin={route.page !== 'login'}
      />
      <Suspense fallback={<main className="pad muted">Loading…</main>}>
        {route.page === 'home' && <Home />}
        {route.page === 'campaign' && <CampaignPage key={route.slug} slug={route.slug} />}
        {route.page === 'studio' && <StudioPage key={route.slug} slug={route.slug} />}
        {route.page === 'remix' && <StudioPage key={route.id} remixId={route.id} />}
        {route.page === 'quick' && <QuickPage key={route.slug} slug={route.slug} />}
        {route.page === 'login' && <LoginPage />}
        {route.page === 'console' && <ConsolePage />}
        {route.page === 'my-remixes' && <MyRemixesPage />}
        {route.page === 'moderation' && <ModerationPage />}
        {route.page === 'admin' && <AdminPage />}
        {route.page === 'wizard' && isWizardStep(route.step) && (
          <CampaignWizard key={route.id ?? 'new'} id={route.id} step={route.step} />
        )}
        {route.page === 'share' && <SharePage key={route.id} id={route.id} />}
        {route.page === 'verify' && <VerifyPage />}
        {(route.page === 'not-found' || (route.page === 'wizard' && !isWizardStep(route.step))) && (
          <main className="pad">
            <h1>Page not found</h1>
            <a href="/">Back to all campaigns</a>
          </main>
        )}
      </Suspense>
    </>
  )
}
