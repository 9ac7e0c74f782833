import { describe, expect, it } from 'vitest'
import { aiDisclosureOf } from './disclosure.ts'

describe('aiDisclosureOf', () => {
  it('gives a hand-made remix no AI label', () => {
    const d = aiDisclosureOf([])
    expect(d.aiAssisted).toBe(false)
    expect(d.label).not.toMatch(/AI-assisted/)
    expect(d.label).toMatch(/no AI/)
  })

  it('names each AI tool once, in words', () => {
    const d = aiDisclosureOf([
      { tool: 'stemfair-assistant' },
      { tool: 'stemfair-artwork' },
      { tool: 'stemfair-assistant' },
    ])
    expect(d.aiAssisted).toBe(true)
    expect(d.label).toBe(
      'AI-assisted remix of officially licensed stems (arrangement assistant, cover art)',
    )
  })

  it('names an unknown tool by its id rather than hiding it', () => {
    expect(aiDisclosureOf([{ tool: 'workers-ai/llama' }]).label).toMatch(/workers-ai\/llama/)
  })
})
