// `node --no-warnings=ExperimentalWarning test/bench/watermark-workerd.ts`: detection with the speed
// and tempo search in workerd (`wrangler dev` of test/bench/watermark-detect.worker.ts: one
// isolate, one thread) beside Node in the same run, both on the DSP kernels (core/dsp), on 9 s
// clips at 44.1 kHz stereo — unmarked crops of the demo stems and a marked clip after MP3 64k +
// speed +3 % — and the export's streaming embedder on 60 s. workerd's clocks stand still while a
// request computes, so both are timed by wall clock (Node's CPU time beside it) with the load
// average beside every figure; ratios between the two are what count on a shared machine.
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { withBenchWorker } from './bench-worker.ts'
import { detectWatermark } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import {
  crop,
  decodeFile,
  filter,
  musicLike,
  transcode,
  type Pcm,
} from '../../core/watermark/testing/audio.ts'
import { installDsp } from '../../core/watermark/testing/dsp.ts'
import { embedStreaming } from './streaming-embed.ts'

installDsp() // Node on the same DSP kernels the worker imports (worker/dsp.ts)

const KEY = 'bench-watermark-key'
const PAYLOAD = 'c0ffee0123456789'
const REPEAT = 3
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const dir = here('../../stems/audio/')
const load = () => loadavg()[0]!.toFixed(1)
const seconds = (pcm: Pcm) => pcm.channels[0]!.length / pcm.sampleRate

const clips: [string, Pcm][] = ['bass', 'drums', 'lead', 'pads', 'vox'].map((name, i) => [
  `unmarked stem ${name}`,
  crop(decodeFile(`${dir}${name}.mp3`), 20 + 7 * i, 9),
])
const host = musicLike(60, 44100, 31)
const marked = {
  channels: embedWatermark([host, host.slice()], 44100, PAYLOAD, KEY),
  sampleRate: 44100,
}
const sped = filter(
  transcode(crop(marked, 10, 9), ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3'),
  'asetrate=45423,aresample=44100',
)
clips.push(['marked, MP3 64k + speed +3 %', sped])

await withBenchWorker(
  'stemfair-bench-detect',
  here('./watermark-detect.worker.ts'),
  async (url) => (await fetch(`${url}/detect?id=none`)).status === 404,
  async (url) => {
    const totals = { node: 0, nodeCpu: 0, workerd: 0, s: 0 }
    for (const [i, [name, pcm]] of clips.entries()) {
      const planar = new Float32Array(pcm.channels.length * pcm.channels[0]!.length)
      pcm.channels.forEach((c, k) => planar.set(c, k * c.length))
      await fetch(`${url}/clip?id=${i}&channels=${pcm.channels.length}&rate=${pcm.sampleRate}`, {
        method: 'POST',
        body: planar,
      })
      await fetch(`${url}/detect?id=${i}&repeat=1`) // warm-up (JIT)
      const t0 = performance.now()
      const { found } = (await (await fetch(`${url}/detect?id=${i}&repeat=${REPEAT}`)).json()) as {
        found: string
      }
      const workerdMs = (performance.now() - t0) / REPEAT
      const workerdLoad = load()
      detectWatermark(pcm.channels, pcm.sampleRate, KEY)
      const cpu = process.cpuUsage()
      const t1 = performance.now()
      let nodeFound = ''
      for (let r = 0; r < REPEAT; r++) {
        const d = detectWatermark(pcm.channels, pcm.sampleRate, KEY)
        nodeFound = d.found ? d.payload : ''
      }
      const nodeMs = (performance.now() - t1) / REPEAT
      const used = process.cpuUsage(cpu)
      const nodeCpu = (used.user + used.system) / 1000 / REPEAT
      const s = seconds(pcm)
      Object.assign(totals, {
        node: totals.node + nodeMs,
        nodeCpu: totals.nodeCpu + nodeCpu,
        workerd: totals.workerd + workerdMs,
        s: totals.s + s,
      })
      const rt = (ms: number) => `${((s * 1000) / ms).toFixed(0)}×`
      console.log(
        `${name.padEnd(30)} workerd ${workerdMs.toFixed(0).padStart(4)} ms ${rt(workerdMs)} ${found ? 'found' : '-'} (load ${workerdLoad}) | ` +
          `Node ${nodeMs.toFixed(0).padStart(4)} ms wall ${rt(nodeMs)}, CPU ${nodeCpu.toFixed(0)} ms ${rt(nodeCpu)} ${nodeFound ? 'found' : '-'} (load ${load()})`,
      )
    }
    // Embedding as an export runs it: the streaming embedder over 60 s of the marked host's music.
    const long = { channels: [host, host.slice()], sampleRate: 44100 }
    const planar = new Float32Array(2 * host.length)
    planar.set(host)
    planar.set(host, host.length)
    await fetch(`${url}/clip?id=embed&channels=2&rate=44100`, { method: 'POST', body: planar })
    const embed = async (repeat: number) => {
      const res = await fetch(`${url}/embed?id=embed&repeat=${repeat}`)
      if (!res.ok) throw new Error(`workerd embed failed: ${res.status} ${await res.text()}`)
    }
    await embed(1) // warm-up (JIT)
    const t2 = performance.now()
    await embed(REPEAT)
    const embedWorkerd = (performance.now() - t2) / REPEAT
    const embedLoad = load()
    embedStreaming(long.channels, long.sampleRate, KEY, BigInt(`0x${PAYLOAD}`))
    const cpu = process.cpuUsage()
    const t3 = performance.now()
    for (let r = 0; r < REPEAT; r++)
      embedStreaming(long.channels, long.sampleRate, KEY, BigInt(`0x${PAYLOAD}`))
    const embedNode = (performance.now() - t3) / REPEAT
    const used = process.cpuUsage(cpu)
    const embedCpu = (used.user + used.system) / 1000 / REPEAT
    const ert = (ms: number) => `${((seconds(long) * 1000) / ms).toFixed(0)}×`
    console.log(
      `embed (streaming, ${seconds(long).toFixed(0)} s)`.padEnd(30) +
        ` workerd ${embedWorkerd.toFixed(0)} ms ${ert(embedWorkerd)} (load ${embedLoad}) | ` +
        `Node ${embedNode.toFixed(0)} ms wall ${ert(embedNode)}, CPU ${embedCpu.toFixed(0)} ms ${ert(embedCpu)} (load ${load()})`,
    )
    const rt = (ms: number) => `${((totals.s * 1000) / ms).toFixed(0)}×`
    console.log(
      `summary: detect with the speed and tempo search, 9 s 44.1 kHz stereo clips: workerd ${rt(totals.workerd)} real time (wall), ` +
        `Node ${rt(totals.node)} (wall), ${rt(totals.nodeCpu)} (CPU), same run, one thread each, mean of ${REPEAT}, ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    )
  },
)
