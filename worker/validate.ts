import { validator } from 'hono/validator'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import { DomainError } from '../core/errors.ts'

/** Validates a request part with a zod schema; failures throw to `onError` as 400. */
export function valid<T extends keyof ValidationTargets, S extends z.ZodType>(
  target: T,
  schema: S,
) {
  return validator(target, async (value, c) => {
    if (
      target === 'json' &&
      !/^application\/([\w.+-]+\+)?json\b/i.test(c.req.header('Content-Type') ?? '')
    )
      throw new DomainError(
        'bad_request',
        'Send the body as JSON (Content-Type: application/json).',
      )
    return (await schema.parseAsync(value)) as z.output<S>
  })
}
