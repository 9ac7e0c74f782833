// Native LAME through ffmpeg on one thread: the reference the ingest benches measure the wasm encoder against.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/**
 * Encodes the WAV at `wavPath` to `mp3Path` with libmp3lame and `lameArgs` (e.g. `['-b:a', '192k']`).
 * CPU seconds are ffmpeg's own -benchmark utime + stime, which include reading and decoding the WAV.
 */
export function nativeLame(
  wavPath: string,
  mp3Path: string,
  lameArgs: readonly string[],
): { cpu: number; wall: number; mp3: Uint8Array } {
  const started = performance.now()
  const run = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-benchmark', '-y', '-threads', '1', '-i', wavPath].concat([
      '-c:a',
      'libmp3lame',
      ...lameArgs,
      mp3Path,
    ]),
    { encoding: 'utf8' },
  )
  const wall = (performance.now() - started) / 1000
  if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr}`)
  const m = /utime=([\d.]+)s stime=([\d.]+)s/.exec(run.stderr)
  if (!m) throw new Error('ffmpeg printed no -benchmark line')
  return { cpu: Number(m[1]) + Number(m[2]), wall, mp3: readFileSync(mp3Path) }
}
