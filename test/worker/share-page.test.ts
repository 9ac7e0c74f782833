import { describe, expect, it } from 'vitest'
import type { ShareView } from '../../core/api/exports.ts'
import { openGraphTags } from '../../worker/share-page.ts'

const share: ShareView = {
  exportId: '0123456789abcdef',
  title: 'Moons <b>& "stars"</b>',
  fan: 'Fan',
  campaign: { slug: 'copper-moons', title: 'Copper Moons', artist: 'Halcyon Drift' },
  credits: [],
  licenceSummary: [],
  licenceVersion: 1,
  aiLabel: 'AI-assisted remix of officially licensed stems',
  audioUrl: '/api/share/0123456789abcdef/audio',
  artworkUrl: null,
  createdAt: '2026-11-25T00:00:00Z',
  artistSuspended: false,
  watermarkNote: null,
}

describe('openGraphTags', () => {
  it('describes the remix, points at its audio and escapes what fans typed', () => {
    const tags = openGraphTags(share, 'https://stemfair.example/r/0123456789abcdef')
    expect(tags).toContain('<meta property="og:type" content="music.song" />')
    expect(tags).toContain(
      '<meta property="og:audio" content="https://stemfair.example/api/share/0123456789abcdef/audio" />',
    )
    expect(tags).toContain('Moons &#60;b&#62;&#38; &#34;stars&#34;&#60;/b&#62; — remix by Fan')
    expect(tags).not.toContain('<b>')
    expect(tags).toMatch(/AI-assisted remix of officially licensed stems/)
  })
})
