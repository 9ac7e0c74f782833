// The Worker under test: the API worker's fetch and Durable Objects with the consumer Worker's
// queue and cron handlers, which worker/vitest.config.ts wires to the local queues as
// wrangler.consumer.toml does. Deployed (and under `npm start`) they are two Workers.
import type { Bindings } from '../../worker/env.ts'
import api from '../../worker/index.ts'
import consumer from '../../worker/consumer/index.ts'

export { ListenerLedger, RateWindow } from '../../worker/index.ts'

export default { ...api, ...consumer } satisfies ExportedHandler<Bindings>
