/** Encodes an AudioBuffer as a 16-bit WAV in a Web Worker, so the studio stays responsive. */
export function encodeWavOffThread(buffer: AudioBuffer): Promise<Blob> {
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) =>
    buffer.getChannelData(i).slice(),
  )
  const worker = new Worker(new URL('./wav.worker.ts', import.meta.url), { type: 'module' })
  return new Promise<Blob>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<Uint8Array<ArrayBuffer>>) =>
      resolve(new Blob([e.data], { type: 'audio/wav' }))
    worker.onerror = (e) => reject(new Error(e.message || 'WAV encoding failed'))
    worker.postMessage(
      { channels, sampleRate: buffer.sampleRate },
      channels.map((c) => c.buffer),
    )
  }).finally(() => worker.terminate())
}
