/** Vite's `?inline` imports: a file's bytes as a data: URL (worker tests read audio fixtures so). */
declare module '*?inline' {
  const dataUrl: string
  export default dataUrl
}
