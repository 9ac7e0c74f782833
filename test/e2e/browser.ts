// Headless Debian Chromium through playwright-core, with the flags this closed network needs.
import { chromium, type Browser, type Page } from 'playwright-core'
import { DEMO_ADMIN, DEMO_ARTIST, DEMO_FAN } from '../../scripts/demo-accounts.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts'

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}

/** Collects console errors and uncaught exceptions of a page; a failed load names its URL. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const url = msg.location().url
    const failedLoad = msg.text().startsWith('Failed to load resource') && url
    errors.push(failedLoad ? `${msg.text()} (${url})` : msg.text())
  })
  page.on('pageerror', (err) => errors.push(err.message))
  return errors
}

/**
 * The server's 5xx answers to a page, each with the start of its body, apart from one kind kept in
 * `dropped`: a GET that vite preview could not pass to workerd at all ("fetch failed": undici
 * reused a connection workerd had closed while a long job held its thread; the worker never saw
 * the request, so its log has no line for it). That is the local server's known fault, not the
 * worker's, and the page retries the GET; everything else fails the test. `besides(errors)` is
 * `watchErrors`' list without the console's line for a dropped request.
 */
export function watchServerFailures(page: Page) {
  const failed: string[] = []
  const dropped: string[] = []
  page.on('response', (r) => {
    if (r.status() < 500) return
    const request = `${r.request().method()} ${r.url()} → ${r.status()}`
    failed.push(request)
    void r.text().then(
      (body) => {
        const i = failed.indexOf(request)
        if (r.request().method() === 'GET' && /<pre>TypeError: fetch failed/.test(body)) {
          failed.splice(i, 1)
          dropped.push(r.url())
        } else failed[i] = `${request}: ${body.slice(0, 300)}`
      },
      () => {},
    )
  })
  const besides = (errors: string[]) =>
    errors.filter((e) => !(/status of 500/.test(e) && dropped.some((u) => e.endsWith(`(${u})`))))
  return { failed, dropped, besides }
}

/** Drops a file on the verify page's drop zone, as a drag from the desktop would. */
export async function dropFile(page: Page, bytes: Uint8Array, name: string, type: string) {
  const transfer = await page.evaluateHandle(
    ({ base64, name, type }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([data], name, { type }))
      return dt
    },
    { base64: Buffer.from(bytes).toString('base64'), name, type },
  )
  const zone = page.getByTestId('verify-drop')
  await zone.dispatchEvent('dragover', { dataTransfer: transfer })
  await zone.dispatchEvent('drop', { dataTransfer: transfer })
}

/** The demo's accounts (seeded by `npm start` and the e2e server), by role. */
export const DEMO = { fan: DEMO_FAN, artist: DEMO_ARTIST, admin: DEMO_ADMIN }

/**
 * Signs in through the login page as a user would, and waits until it has taken them to `next`
 * (a path: the login page's `?next=`).
 */
export async function logIn(
  page: Page,
  baseUrl: string,
  user: { email: string; password: string },
  next: string,
) {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`)
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Password').fill(user.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL((url) => url.pathname === next)
}
