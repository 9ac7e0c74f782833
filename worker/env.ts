import type { Job } from './jobs/job.ts'
import type { UserView } from '../core/campaign/views.ts'

/** Bindings and variables from wrangler.toml, plus secrets (.dev.vars locally). */
export type Bindings = {
  DB: D1Database
  MEDIA: R2Bucket
  /** The built web app (static assets). */
  ASSETS: Fetcher
  JOBS: Queue<Job>
  /** Stem ingest, null test and campaign analysis: its own queue, consumed in parallel. */
  INGEST: Queue<Job>
  SESSION_SECRET: string
  /** Secret key of the audio watermark: the same key embeds and detects. */
  WATERMARK_KEY: string
  /** Private Ed25519 JWK (JSON) that signs export manifests; its public half is at /.well-known/jwks.json. */
  SIGNING_KEY: string
  PUBLIC_ORIGIN: string
  /** Workers AI, for deployments with an account ([ai] in wrangler.toml); free text needs it. */
  AI?: Ai
}

/** Hono environment for every route. */
export type AppEnv = { Bindings: Bindings; Variables: { user: UserView | null } }
