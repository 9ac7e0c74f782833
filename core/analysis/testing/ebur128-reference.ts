// Test support (Node only): ffmpeg's ebur128 filter as the loudness reference. core has no Node
// types, so node:child_process is loaded by name with the small shape used here declared below.
import { encodeWav } from '../../audio/wav.ts'
import type { Hertz } from '../../units.ts'

interface ChildProcess {
  spawnSync(
    command: string,
    args: string[],
    options: { input?: Uint8Array; maxBuffer: number },
  ): { status: number | null; stderr: Uint8Array; error?: Error }
}

const childProcess = (await import('node:child_process' as string)) as ChildProcess

/** What ffmpeg's ebur128 summary says: integrated loudness, loudness range and true peak. */
export type Ebur128Summary = { integratedLufs: number; rangeLu: number; truePeakDbtp: number }

/** Runs `ffmpeg -filter_complex ebur128=peak=true` over the PCM written as a float WAV. */
export function ebur128Of(channels: Float32Array[], sampleRate: Hertz): Ebur128Summary {
  const wav = encodeWav(channels, sampleRate, { encoding: 'float32' })
  const args = ['-nostats', '-hide_banner', '-f', 'wav', '-i', 'pipe:0']
  const result = childProcess.spawnSync(
    'ffmpeg',
    [...args, '-filter_complex', 'ebur128=peak=true', '-f', 'null', '-'],
    { input: wav, maxBuffer: 1 << 28 },
  )
  if (result.error) throw new Error(`ffmpeg is needed for this test: ${result.error.message}`)
  let log = '' // ffmpeg's log is ASCII
  for (const byte of result.stderr) log += String.fromCharCode(byte)
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${log.slice(-2000)}`)
  const summary = log.slice(log.lastIndexOf('Summary:'))
  const value = (label: string) => {
    const m = new RegExp(`${label}:\\s+(-?[\\d.]+|-inf)`).exec(summary)
    if (!m) throw new Error(`no ${label} in ffmpeg's summary:\n${summary}`)
    return m[1] === '-inf' ? -Infinity : Number(m[1])
  }
  return { integratedLufs: value('I'), rangeLu: value('LRA'), truePeakDbtp: value('Peak') }
}
