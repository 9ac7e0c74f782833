/** Widest a waveform's canvas gets, in device pixels: a longer one is stretched, not painted. */
const MAX_CANVAS_PX = 4096

/**
 * Draws precomputed peaks (one array per channel, values in -1..1) spanning `seconds` in
 * `container`, without decoding audio: one canvas (in a shadow root, so no page style reaches it),
 * one bar of `barWidth` CSS pixels per step, the first channel's peak above the middle and the
 * second's (or the first's again) below. Painted once, and again only when the container's size
 * changes. Returns the destroy function.
 */
export function drawPeaks(
  container: HTMLElement,
  channels: number[][],
  seconds: number,
  color: string,
  bars: { barWidth: number; barGap?: number; barRadius?: number },
): () => void {
  const host = document.createElement('div')
  host.style.cssText = 'width:100%;height:100%'
  const canvas = document.createElement('canvas')
  canvas.style.cssText = 'display:block;width:100%;height:100%'
  host.attachShadow({ mode: 'open' }).append(canvas)
  container.append(host)
  const top = channels[0] ?? []
  const bottom = channels[1] ?? top
  let painted = ''
  const paint = () => {
    const dpr = window.devicePixelRatio || 1
    const cssWidth = container.clientWidth
    const cssHeight = container.clientHeight
    const width = Math.min(MAX_CANVAS_PX, Math.round(cssWidth * dpr))
    const height = Math.round(cssHeight * dpr)
    const size = `${width}x${height}`
    if (size === painted || width === 0 || height === 0) return
    painted = size
    canvas.width = width
    canvas.height = height
    const g = canvas.getContext('2d')
    if (!g || top.length === 0 || seconds <= 0) return
    g.fillStyle = color
    const scale = width / cssWidth // device pixels per CSS pixel, after the cap
    const step = Math.max(1, (bars.barWidth + (bars.barGap ?? 0)) * scale)
    const bar = Math.max(1, bars.barWidth * scale)
    const half = height / 2
    const perPx = top.length / width
    for (let x = 0; x < width; x += step) {
      const from = Math.floor(x * perPx)
      const to = Math.max(from + 1, Math.floor((x + step) * perPx))
      let up = 0
      let down = 0
      for (let i = from; i < to && i < top.length; i++) {
        const a = Math.abs(top[i]!)
        const b = Math.abs(bottom[i] ?? 0)
        if (a > up) up = a
        if (b > down) down = b
      }
      const y0 = half - Math.min(1, up) * half
      const y1 = half + Math.min(1, down) * half
      g.fillRect(x, y0, bar, Math.max(1, y1 - y0))
    }
  }
  paint()
  const resized = new ResizeObserver(paint)
  resized.observe(container)
  return () => {
    resized.disconnect()
    host.remove()
  }
}
