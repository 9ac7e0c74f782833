import type { Bindings } from '../../worker/env.ts'

declare global {
  /** Vite's eager raw import, which the tests use to read wrangler.toml and the README. */
  interface ImportMeta {
    glob(
      pattern: string,
      options: { query: '?raw'; import: 'default'; eager: true },
    ): Record<string, string>
  }
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
      TEST_EVENTS_MIGRATIONS: import('cloudflare:test').D1Migration[]
    }
    interface GlobalProps {
      mainModule: typeof import('./entry.ts')
    }
  }
}
