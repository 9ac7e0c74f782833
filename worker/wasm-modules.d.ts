/** `.wasm` imports: the bundler (wrangler, the Cloudflare Vite plugin) hands over a compiled module. */
declare module '*.wasm' {
  const module: WebAssembly.Module
  export default module
}
