import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  checkManifest,
  claimOf,
  digitalSourceTypeOf,
  IPTC_DIGITAL_SOURCE_TYPE,
  manifestFrom,
} from './manifest.ts'
import { action, claim } from './testing/claim.ts'
import { sha256Hex } from '../lib/bytes.ts'

const IPTC = IPTC_DIGITAL_SOURCE_TYPE

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined members', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined }
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 }
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}')
    expect(canonicalJson(b)).toBe(canonicalJson(a))
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]))
  })

  it('is stable across a JSON round trip, so a stored manifest hashes as it was signed', async () => {
    const m = await manifestFrom(claim)
    const stored = JSON.parse(JSON.stringify(m)) as typeof m
    expect(canonicalJson(stored)).toBe(canonicalJson(m))
    expect(await sha256Hex(canonicalJson(claimOf(stored)))).toBe(m.claimSha256)
  })
})

describe('digitalSourceTypeOf', () => {
  it('humanEdits without AI actions', () => {
    expect(digitalSourceTypeOf([])).toBe(`${IPTC}humanEdits`)
  })

  it('compositeWithTrainedAlgorithmicMedia once a trained model contributed', () => {
    const trained = `${IPTC}compositeWithTrainedAlgorithmicMedia`
    expect(digitalSourceTypeOf([action('@spotify/basic-pitch')])).toBe(trained)
    expect(digitalSourceTypeOf([action('stemfair-assistant', 'workers-ai')])).toBe(trained)
    expect(
      digitalSourceTypeOf([action('stemfair-assistant'), action('@spotify/basic-pitch')]),
    ).toBe(trained)
  })

  it('compositeSynthetic when only rule-based algorithms ran', () => {
    expect(
      digitalSourceTypeOf([action('stemfair-assistant'), action('stemfair/generate-part')]),
    ).toBe(`${IPTC}compositeSynthetic`)
  })
})

describe('checkManifest', () => {
  const outputs = {
    wav: { key: 'w', sha256: '1'.repeat(64), bytes: 10 },
    mp3: { key: 'm', sha256: '2'.repeat(64), bytes: 5 },
  }

  it('names the output a file is, by its SHA-256 (any case); old names read as 16-bit and 192', () => {
    expect(checkManifest({ outputs }, '1'.repeat(64))).toEqual({
      format: 'wav-16',
      output: outputs.wav,
    })
    expect(checkManifest({ outputs }, '2'.repeat(64))?.format).toBe('mp3-192')
    expect(checkManifest({ outputs }, 'A'.repeat(64))).toBeNull()
  })

  it('knows every format an export lists, the cover and the stems zip too', () => {
    const all = {
      'mp3-320': { key: 'a', sha256: 'a'.repeat(64), bytes: 1 },
      flac: { key: 'f', sha256: 'f'.repeat(64), bytes: 1 },
      'stems-zip': { key: 'z', sha256: 'c'.repeat(64), bytes: 1 },
      'cover-png': { key: 'p', sha256: 'd'.repeat(64), bytes: 1 },
      unknown: { key: 'u', sha256: 'e'.repeat(64), bytes: 1 },
    }
    expect(checkManifest({ outputs: all }, 'F'.repeat(64))?.format).toBe('flac')
    expect(checkManifest({ outputs: all }, 'c'.repeat(64))?.format).toBe('stems-zip')
    expect(checkManifest({ outputs: all }, 'd'.repeat(64))?.format).toBe('cover-png')
    expect(checkManifest({ outputs: all }, 'a'.repeat(64))?.format).toBe('mp3-320')
    expect(checkManifest({ outputs: all }, 'e'.repeat(64))).toBeNull()
  })

  it('matches nothing before the outputs are written, or for another file', () => {
    expect(checkManifest({ outputs: null }, '1'.repeat(64))).toBeNull()
    expect(checkManifest({ outputs }, '3'.repeat(64))).toBeNull()
  })
})
