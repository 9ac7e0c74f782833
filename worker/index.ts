import { Hono } from 'hono'
import type { AppEnv, Bindings } from './env.ts'
import { onError, onNotFound } from './errors.ts'
import { session } from './auth/session.ts'
import { adminUsers, auth, me } from './routes/auth.ts'
import { csrf } from './http/csrf.ts'
import { artistCampaigns, licencePresetsRoute } from './routes/artist-campaigns.ts'
import { campaigns } from './routes/campaigns.ts'
import { health } from './routes/health.ts'
import { remixes } from './routes/remixes.ts'
import { stems } from './routes/stems.ts'
import { uploads } from './routes/uploads.ts'
import { downloads, exportsRoute } from './routes/exports.ts'
import { share } from './routes/share.ts'
import { verify } from './routes/verify.ts'
import { takedowns } from './routes/takedowns.ts'
import { moderation, reports } from './routes/moderation.ts'
import { campaignStatsRoute, meStatsRoute } from './routes/stats.ts'
import { consumeJobs } from './jobs/consumer.ts'
import { sharePage } from './share-page.ts'
import { assist } from './routes/assist.ts'
import { remixArtwork, shareArtwork } from './routes/artwork.ts'
import { manifests, wellKnown } from './routes/manifests.ts'
import { admin, artistVerificationRoute } from './routes/consent.ts'
import { consumeEvents } from './events/consumer.ts'
import { archiveOldDays } from './events/archive.ts'

export { ListenerLedger } from './events/listener-ledger.ts'
export { RateWindow } from './http/rate-window.ts'

/** The API. Static assets (the web app) are served by the platform in front of it. */
export const app = new Hono<AppEnv>()
  .basePath('/api')
  .use(csrf())
  .use(session())
  .route('/health', health)
  .route('/auth', auth)
  .route('/me', me)
  .route('/me', meStatsRoute)
  .route('/campaigns', campaigns)
  .route('/campaigns', campaignStatsRoute)
  .route('/stems', stems)
  .route('/remixes', remixes)
  .route('/remixes', remixArtwork)
  .route('/exports', exportsRoute)
  .route('/downloads', downloads)
  .route('/share', share)
  .route('/share', shareArtwork)
  .route('/verify', verify)
  .route('/takedowns', takedowns)
  .route('/artist/campaigns', artistCampaigns)
  .route('/licence', licencePresetsRoute)
  .route('/artist', uploads)
  .route('/share', reports)
  .route('/artist', moderation)
  .route('/assist', assist)
  .route('/manifests', manifests)
  .route('/artist/verification', artistVerificationRoute)
  .route('/admin', admin)
  .route('/admin', adminUsers)

app.onError(onError)
app.notFound(onNotFound)

export type AppType = typeof app

export default {
  fetch: (request, env, ctx) => {
    const { pathname } = new URL(request.url)
    if (pathname.startsWith('/.well-known/')) return wellKnown.fetch(request, env, ctx)
    return /^\/r\/[^/]+\/?$/.test(pathname)
      ? sharePage(request, env, (r) => Promise.resolve(app.fetch(r, env, ctx)))
      : app.fetch(request, env, ctx)
  },
  queue: (batch, env) =>
    batch.queue.startsWith('stemfair-events') ? consumeEvents(batch, env) : consumeJobs(batch, env),
  scheduled: async (_controller, env) => {
    await archiveOldDays(env)
  },
} satisfies ExportedHandler<Bindings>
