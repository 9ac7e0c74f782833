// The decoder packages import a Web Worker shim that reads the global `Worker` when it loads;
// workerd has none. The worker never uses their Web Worker variants, so a placeholder will do.
const scope = globalThis as { Worker?: unknown }
scope.Worker ??= class Unavailable {
  constructor() {
    throw new Error('Web Workers are not available in a Cloudflare Worker')
  }
}
