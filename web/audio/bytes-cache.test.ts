import { expect, test } from 'vitest'
import { BytesCache } from './bytes-cache.ts'

test('keeps the most recently used entries within its budget of bytes, the oldest going first', () => {
  const cache = new BytesCache<string, number>(100)
  cache.set('a', 1, 40)
  cache.set('b', 2, 40)
  expect(cache.get('a')).toBe(1) // now the most recently used: b is the oldest
  cache.set('c', 3, 40)
  expect(cache.get('b')).toBeUndefined()
  expect(cache.get('a')).toBe(1)
  expect(cache.get('c')).toBe(3)
  expect(cache.bytes).toBe(80)
})

test('any number of small entries fit; one over the budget alone stays until the next', () => {
  const cache = new BytesCache<number, number>(1000)
  for (let i = 0; i < 100; i++) cache.set(i, i, 10)
  expect(cache.get(0)).toBe(0)
  expect(cache.get(99)).toBe(99)
  cache.set(-1, -1, 5000)
  expect(cache.get(-1)).toBe(-1)
  expect(cache.get(99)).toBeUndefined()
  expect(cache.bytes).toBe(5000)
  cache.set(-2, -2, 10)
  expect(cache.get(-1)).toBeUndefined()
  expect(cache.bytes).toBe(10)
})

test('deletes an entry only if it is the one given, when one is', () => {
  const cache = new BytesCache<string, object>(100)
  const first = {}
  const second = {}
  cache.set('k', first, 10)
  cache.set('k', second, 20)
  expect(cache.bytes).toBe(20)
  cache.delete('k', first)
  expect(cache.get('k')).toBe(second)
  cache.delete('k', second)
  expect(cache.get('k')).toBeUndefined()
  expect(cache.bytes).toBe(0)
})
