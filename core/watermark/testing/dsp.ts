// Test and benchmark support (Node only): hands core the DSP kernels compiled from the committed
// core/dsp/wasm/dsp.wasm, as the worker does with its precompiled import.
import { dsp, useDsp, type DspKernels } from '../../dsp/kernels.ts'

const fs = (await import('node:fs' as string)) as { readFileSync(path: URL): Uint8Array }

/** The committed kernels' bytes. */
export const dspWasmBytes = (): Uint8Array =>
  fs.readFileSync(new URL('../../dsp/wasm/dsp.wasm', import.meta.url))

/** Compiles and installs the kernels (once). */
export function installDsp(): DspKernels {
  useDsp(dspWasmBytes())
  return dsp()!
}
