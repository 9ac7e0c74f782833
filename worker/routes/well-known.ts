import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'
import { onError, onNotFound } from '../errors.ts'
import { jwksOf } from '../provenance/keys.ts'

/** `/.well-known/*`: the public keys that sign export manifests (JWKS, RFC 7517). */
export const wellKnown = new Hono<AppEnv>()
  .basePath('/.well-known')
  .get('/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    c.header('Content-Type', 'application/jwk-set+json')
    return c.body(JSON.stringify(await jwksOf(c.env)))
  })
wellKnown.onError(onError)
wellKnown.notFound(onNotFound)
