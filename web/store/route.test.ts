import { describe, expect, it } from 'vitest'
import { routeFrom } from './route.ts'

describe('routeFrom', () => {
  it('maps paths to pages', () => {
    expect(routeFrom('/')).toEqual({ page: 'home' })
    expect(routeFrom('/c/copper-moons')).toEqual({ page: 'campaign', slug: 'copper-moons' })
    expect(routeFrom('/c/copper-moons/')).toEqual({ page: 'campaign', slug: 'copper-moons' })
    expect(routeFrom('/c/Bad Slug')).toEqual({ page: 'not-found' })
    expect(routeFrom('/nope')).toEqual({ page: 'not-found' })
  })
})
