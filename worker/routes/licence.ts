import { Hono } from 'hono'
import { z } from 'zod'
import { licencePresets } from '../../core/licence/presets.ts'
import type { AppEnv } from '../env.ts'
import { valid } from '../validate.ts'

const name = z.string().trim().min(1).max(200).optional()
const PresetQuery = z.object({ title: name, artist: name })

/** The licence presets the editor starts from; public, so the terms can be read before signing up. */
export const licence = new Hono<AppEnv>().get('/presets', valid('query', PresetQuery), (c) =>
  c.json({ presets: licencePresets(c.req.valid('query')) }),
)
