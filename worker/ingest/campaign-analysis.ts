import { activityFrom } from '../../core/analysis/activity.ts'
import { loudnessFrom } from '../../core/analysis/loudness.ts'
import { analyseMix } from '../../core/analysis/mix.ts'
import type { CampaignAnalysis } from '../../core/analysis/types.ts'
import { listAuthorStemRows, type AuthorStemRow } from '../db/author-stems.ts'
import { saveCampaignAnalysis } from '../db/ingest.ts'
import type { Bindings } from '../env.ts'
import { analysisCopyKey } from '../storage/keys.ts'

/** A stem's mono analysis copy from R2, or null when it has none (processed before copies existed). */
async function analysisCopy(env: Bindings, row: AuthorStemRow) {
  const object = await env.MEDIA.get(analysisCopyKey(row))
  if (!object) return null
  const rate = Number(object.customMetadata?.sampleRate)
  const channels = Number(object.customMetadata?.channels)
  return { pcm: new Float32Array(await object.arrayBuffer()), rate, channels }
}

/**
 * The campaign's analysis once no stem is processing: grid, key, sections and loudness of the sum
 * of the ready stems' mono copies, and each stem's activity on that grid. Reads one copy at a time
 * (twice) so memory stays near two copies. Leaves everything as it was when a stem is still
 * processing, a copy is missing or the copies disagree in rate; rewrites the same result when run
 * again. Queued by the last stem's ingest (worker/ingest/job.ts).
 */
export async function analyseCampaign(env: Bindings, campaignId: string): Promise<void> {
  const rows = await listAuthorStemRows(env.DB, campaignId)
  if (rows.length === 0 || rows.some((r) => r.ingest_status === 'processing')) return
  const ready = rows.filter((r) => r.ingest_status === 'ready')
  if (ready.length === 0) return
  let mix = new Float32Array(0)
  let rate = 0
  let stereo = false
  for (const row of ready) {
    const copy = await analysisCopy(env, row)
    if (!copy || (rate !== 0 && copy.rate !== rate) || !(copy.rate > 0)) return
    rate = copy.rate
    stereo ||= copy.channels > 1
    if (copy.pcm.length > mix.length) {
      const longer = new Float32Array(copy.pcm.length)
      longer.set(mix)
      mix = longer
    }
    for (let i = 0; i < copy.pcm.length; i++) mix[i] = mix[i]! + copy.pcm[i]!
  }
  const grid = analyseMix([mix], rate)
  // The copies are (L + R) / 2: counting the mono sum on both channels matches stereo loudness
  // for centred material (see the report of the ingest analysis for the measured difference).
  const analysis: CampaignAnalysis = {
    version: 1,
    ...grid,
    loudness: loudnessFrom(stereo ? [mix, mix] : [mix], rate),
  }
  const stems: { id: string; analysis: string }[] = []
  for (const row of ready) {
    const copy = await analysisCopy(env, row)
    if (!copy) return
    const activity = activityFrom([copy.pcm], rate, grid.downbeats)
    const stemAnalysis = { ...(JSON.parse(row.analysis) as Record<string, unknown>), activity }
    stems.push({ id: row.id, analysis: JSON.stringify(stemAnalysis) })
  }
  await saveCampaignAnalysis(env.DB, campaignId, JSON.stringify(analysis), stems)
}

/** The queue job: the stems stay playable without an analysis, so a failure is logged, not retried. */
export async function runCampaignAnalysisJob(env: Bindings, campaignId: string): Promise<void> {
  try {
    await analyseCampaign(env, campaignId)
  } catch (err) {
    console.error('campaign analysis failed', campaignId, err)
  }
}
