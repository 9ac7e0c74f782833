import { describe, expect, it } from 'vitest'
import { embedCodeOf } from './embed.ts'

describe('embedCodeOf', () => {
  it('points an iframe at the embed player of the export, with a title', () => {
    const code = embedCodeOf('https://stemfair.example', {
      exportId: '0123abcd0123abcd',
      title: 'Night drive',
      fan: 'Demo Fan',
    })
    expect(code).toContain('src="https://stemfair.example/embed/0123abcd0123abcd"')
    expect(code).toContain('title="Night drive, a remix by Demo Fan on Stemfair"')
  })

  it('escapes quotes and tags in titles', () => {
    const code = embedCodeOf('https://x.example', {
      exportId: 'e',
      title: '"><script>alert(1)</script>',
      fan: 'F',
    })
    expect(code).not.toContain('<script>')
    expect(code).toContain('&quot;&gt;&lt;script&gt;')
  })
})
