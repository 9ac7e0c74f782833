import type { Context } from 'hono'
import type { Job } from './jobs/job.ts'
import type { EventMessage } from './events/event.ts'
import type { ListenerLedger } from './events/listener-ledger.ts'
import type { RateWindow } from './http/rate-window.ts'
import type { UserView } from '../core/api/users.ts'

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
  /** Plays and downloads on their way to D1, a queue picked by the event's id (worker/events/shard.ts). */
  EVENTS_0: Queue<EventMessage>
  EVENTS_1: Queue<EventMessage>
  EVENTS_2: Queue<EventMessage>
  EVENTS_3: Queue<EventMessage>
  /** The raw events, their caps' counts and outbox, one database per shard of campaigns (worker/events/shard.ts). */
  EVENTS_DB_0: D1Database
  EVENTS_DB_1: D1Database
  EVENTS_DB_2: D1Database
  EVENTS_DB_3: D1Database
  /** The anonymous listeners' ledgers, LEDGER_BUCKETS objects shared by id (worker/events/listener-ledger.ts). */
  LISTENERS: DurableObjectNamespace<ListenerLedger>
  /** Fixed-window rate limits longer than the binding's 60 s (worker/http/rate-window.ts). */
  WINDOWS: DurableObjectNamespace<RateWindow>
  /** Cloudflare's rate-limiting bindings ([[ratelimits]] in wrangler.toml). */
  VERIFY_LIMITER: RateLimit
  PLAY_LIMITER: RateLimit
}

/** Hono environment for every route. */
export type AppEnv = { Bindings: Bindings; Variables: { user: UserView | null } }

/**
 * The environment behind `requireUser()` / `requireRole(...)`: the user is known. Handlers after
 * that middleware get `c.var.user` typed non-null; helpers that need the user take this context.
 */
export type SignedInEnv = { Bindings: Bindings; Variables: { user: UserView } }

/** The context of any route, signed in or not: for helpers that do not look at the user. */
export type RouteContext = Context<AppEnv> | Context<SignedInEnv>
