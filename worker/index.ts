import { Hono } from 'hono'
import type { AppEnv, Bindings } from './env.ts'
import { onError, onNotFound } from './errors.ts'
import { session } from './auth/session.ts'
import { csrf } from './http/csrf.ts'
import { discardUnreadBody } from './http/unread-body.ts'
import { sharePage } from './share-page.ts'
// One route file per URL prefix: /api/<a>/<b>/… is served by worker/routes/<a>-<b>.ts if it
// exists, else by worker/routes/<a>.ts.
import { admin } from './routes/admin.ts'
import { moderation } from './routes/artist.ts'
import { artistCampaigns } from './routes/artist-campaigns.ts'
import { artistStems } from './routes/artist-stems.ts'
import { artistUploads } from './routes/artist-uploads.ts'
import { artistVerificationRoute } from './routes/artist-verification.ts'
import { assist } from './routes/assist.ts'
import { auth } from './routes/auth.ts'
import { campaigns } from './routes/campaigns.ts'
import { downloads } from './routes/downloads.ts'
import { exportsRoute } from './routes/exports.ts'
import { health } from './routes/health.ts'
import { licence } from './routes/licence.ts'
import { manifests } from './routes/manifests.ts'
import { me } from './routes/me.ts'
import { remixes } from './routes/remixes.ts'
import { share } from './routes/share.ts'
import { stems } from './routes/stems.ts'
import { stemHeads } from './routes/stems-heads.ts'
import { takedowns } from './routes/takedowns.ts'
import { verify } from './routes/verify.ts'
import { wellKnown } from './routes/well-known.ts'

export { ListenerLedger } from './events/listener-ledger.ts'
export { RateWindow } from './http/rate-window.ts'

/**
 * The API. Static assets (the web app) are served by the platform in front of it; the queue
 * consumers and the cron run in the consumer Worker (worker/consumer/index.ts).
 */
export const app = new Hono<AppEnv>()
  .basePath('/api')
  .use(csrf())
  .use(session())
  .route('/admin', admin)
  .route('/artist', moderation)
  .route('/artist/campaigns', artistCampaigns)
  .route('/artist/stems', artistStems)
  .route('/artist/uploads', artistUploads)
  .route('/artist/verification', artistVerificationRoute)
  .route('/assist', assist)
  .route('/auth', auth)
  .route('/campaigns', campaigns)
  .route('/downloads', downloads)
  .route('/exports', exportsRoute)
  .route('/health', health)
  .route('/licence', licence)
  .route('/manifests', manifests)
  .route('/me', me)
  .route('/remixes', remixes)
  .route('/share', share)
  .route('/stems/heads', stemHeads)
  .route('/stems', stems)
  .route('/takedowns', takedowns)
  .route('/verify', verify)

app.onError(onError)
app.notFound(onNotFound)

export type AppType = typeof app

function route(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
  const { pathname } = new URL(request.url)
  if (pathname.startsWith('/.well-known/'))
    return Promise.resolve(wellKnown.fetch(request, env, ctx))
  return /^\/r\/[^/]+\/?$/.test(pathname)
    ? sharePage(request, env, (r) => Promise.resolve(app.fetch(r, env, ctx)))
    : Promise.resolve(app.fetch(request, env, ctx))
}

export default {
  fetch: async (request, env, ctx) => {
    const response = await route(request, env, ctx)
    await discardUnreadBody(request)
    return response
  },
} satisfies ExportedHandler<Bindings>
