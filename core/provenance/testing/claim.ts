// A manifest claim for the provenance tests.
import type { AiAction } from '../../recipe/schema.ts'
import { IPTC_DIGITAL_SOURCE_TYPE as IPTC, type ManifestClaim } from '../manifest.ts'

export const action = (tool: string, provider = 'local'): AiAction => ({
  id: `a-${tool}`,
  tool,
  version: '1',
  provider,
  parameters: { seed: 7 },
  appliedAt: '2026-11-01T10:00:00.000Z',
})

export const claim: ManifestClaim = {
  format: 'stemfair.export-manifest/1',
  exportId: '0123456789abcdef',
  createdAt: '2026-11-01T10:00:00.000Z',
  manifestUrl: 'http://localhost:8787/api/manifests/0123456789abcdef',
  remix: {
    id: 'r1',
    version: 2,
    title: 'Nuit — “blue”',
    fan: 'Zoë',
    recipeSha256: 'ab'.repeat(32),
  },
  campaign: { slug: 'moons', title: 'Moons', artist: 'Mira Vale', iswc: null },
  licence: {
    uid: 'lic',
    version: 3,
    url: 'http://localhost:8787/c/moons#licence',
    attribution: null,
  },
  sources: [{ stem: 'moons-drums', name: 'Drums', isrc: 'QZSF12600001' }],
  credits: [{ name: 'Mira Vale', roles: ['composer'] }],
  aiActions: [action('@spotify/basic-pitch')],
  aiDisclosure: 'AI-assisted',
  digitalSourceType: `${IPTC}compositeWithTrainedAlgorithmicMedia`,
  trainingMining: 'notAllowed',
}
