import { describe, expect, it } from 'vitest'
import { routeFrom } from './route.ts'

describe('routeFrom', () => {
  it('maps paths to pages', () => {
    expect(routeFrom('/')).toEqual({ page: 'home' })
    expect(routeFrom('/c/copper-moons')).toEqual({ page: 'campaign', slug: 'copper-moons' })
    expect(routeFrom('/c/copper-moons/')).toEqual({ page: 'campaign', slug: 'copper-moons' })
    expect(routeFrom('/c/Bad Slug')).toEqual({ page: 'not-found' })
    expect(routeFrom('/nope')).toEqual({ page: 'not-found' })
    expect(routeFrom('/c/copper-moons/studio')).toEqual({ page: 'studio', slug: 'copper-moons' })
    expect(routeFrom('/remix/abc-123')).toEqual({ page: 'remix', id: 'abc-123' })
    expect(routeFrom('/login')).toEqual({ page: 'login' })
    expect(routeFrom('/console')).toEqual({ page: 'console' })
    expect(routeFrom('/me/remixes')).toEqual({ page: 'my-remixes' })
    expect(routeFrom('/embed/0123abcd0123abcd')).toEqual({ page: 'embed', id: '0123abcd0123abcd' })
    expect(routeFrom('/console/admin')).toEqual({ page: 'admin' })
    expect(routeFrom('/r/0123abcd0123abcd')).toEqual({ page: 'share', id: '0123abcd0123abcd' })
    expect(routeFrom('/console/campaigns/new')).toEqual({
      page: 'wizard',
      id: null,
      step: 'details',
    })
    expect(routeFrom('/console/campaigns/c1/stems')).toEqual({
      page: 'wizard',
      id: 'c1',
      step: 'stems',
    })
    expect(routeFrom('/console/campaigns/c1')).toEqual({
      page: 'wizard',
      id: 'c1',
      step: 'details',
    })
  })
})
