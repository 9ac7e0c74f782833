import type { Page } from 'playwright-core'

/** Resolves once every stem lane of the studio on `page` has drawn its waveform's canvas. */
export function wavesDrawn(page: Page): Promise<unknown> {
  return page.waitForFunction(
    () => {
      const waves = [...document.querySelectorAll('.region-wave')]
      return (
        waves.length > 0 &&
        waves.every((w) => w.firstElementChild?.shadowRoot?.querySelector('canvas'))
      )
    },
    undefined,
    { timeout: 60_000, polling: 10 },
  )
}
