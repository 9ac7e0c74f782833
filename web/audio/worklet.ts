import type * as Tone from 'tone'

/**
 * A loader of one AudioWorklet module written as source text: the blob URL is made once, and the
 * module is added to each context once (concurrent callers share the same promise).
 */
export function workletModule(source: string): (context: Tone.BaseContext) => Promise<void> {
  let url: string | undefined
  const loaded = new WeakMap<Tone.BaseContext, Promise<void>>()
  return (context) => {
    url ??= URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))
    let module = loaded.get(context)
    if (!module) {
      module = context.addAudioWorkletModule(url)
      loaded.set(context, module)
    }
    return module
  }
}
