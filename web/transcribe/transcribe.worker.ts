// basic-pitch on TensorFlow.js, off the main thread: mono 22 050 Hz in, notes out.
import { BasicPitch } from '@spotify/basic-pitch'
import * as tf from '@tensorflow/tfjs'
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import type { Backend, TranscribeReply, TranscribeRequest } from './protocol.ts'
import { runBasicPitch } from './run.ts'

const models = new Map<string, BasicPitch>()
let active: Backend | undefined

/**
 * TF.js's threaded build sizes its pool once, as its module starts, at
 * min(asked, 8, navigator.hardwareConcurrency / 2) (tfjs-backend-wasm src/cc/backend.cc,
 * init_with_threads_count): on a 2-core machine that is 1 thread whatever is asked. An explicit
 * ask is honoured by letting this worker (whose navigator only TF.js reads) report enough cores.
 */
function allowThreads(threads: number): void {
  if (navigator.hardwareConcurrency >= 2 * threads) return
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads })
}

async function selectBackend(backend: Backend, wasm: string, threads?: number): Promise<void> {
  if (active === backend) return
  if (backend === 'wasm') setWasmPaths(new URL(wasm, self.location.href).href)
  if (backend === 'wasm' && threads) {
    setThreadsCount(threads)
    allowThreads(threads)
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend ${backend} failed`)
  await tf.ready()
  active = backend
}

async function transcribe(req: TranscribeRequest): Promise<TranscribeReply> {
  const started = performance.now()
  await selectBackend(req.backend, req.wasm, req.threads)
  const url = new URL(req.model, self.location.href).href
  let model = models.get(url)
  if (!model) models.set(url, (model = new BasicPitch(url)))
  await model.model
  const loaded = performance.now()
  const notes = await runBasicPitch(model, req.audio, req.thresholds, (fraction) =>
    post({ type: 'progress', id: req.id, fraction }),
  )
  return {
    type: 'done',
    id: req.id,
    notes,
    backend: req.backend,
    threads: req.backend === 'wasm' ? getThreadsCount() : 0,
    isolated: self.crossOriginIsolated,
    loadSeconds: (loaded - started) / 1000,
    inferSeconds: (performance.now() - loaded) / 1000,
  }
}

const post = (reply: TranscribeReply) => self.postMessage(reply)

self.onmessage = (event: MessageEvent<TranscribeRequest>) => {
  const req = event.data
  transcribe(req).then(post, (err: unknown) =>
    post({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) }),
  )
}
