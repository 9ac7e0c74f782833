// Hands core the shared DSP kernels (core/dsp: the watermark detector's FFTs, dense STFT and sync
// search, the embedder's resampling) as the module the bundler precompiled: workerd may not
// compile WebAssembly at run time. Imported for its effect by every module that detects or marks
// a watermark.
import dspWasm from '../core/dsp/wasm/dsp.wasm'
import { useDsp } from '../core/dsp/kernels.ts'

useDsp(dspWasm)
