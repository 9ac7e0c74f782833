import { expect } from 'vitest'
import type { AuthorStem, UploadView } from '../../core/api/authoring.ts'
import { call, json } from './http.ts'

/**
 * Uploads a master as the wizard does (create, parts, complete) and answers the stem it made;
 * ingest then runs on the queue.
 */
export async function uploadMaster(
  campaignId: string,
  bytes: Uint8Array,
  fileName: string,
  cookie: string,
): Promise<AuthorStem> {
  const created = await call(`/api/artist/campaigns/${campaignId}/uploads`, {
    method: 'POST',
    ...json({ fileName, size: bytes.length, kind: 'stem' }, cookie),
  })
  expect(created.status).toBe(201)
  const { upload } = (await created.json()) as { upload: UploadView }
  for (let n = 1; n <= upload.partCount; n++) {
    const part = bytes.subarray((n - 1) * upload.partSize, n * upload.partSize)
    const res = await call(`/api/artist/uploads/${upload.id}/parts/${n}`, {
      method: 'PUT',
      headers: { Cookie: cookie },
      body: part,
    })
    expect(res.status).toBe(200)
  }
  const done = await call(`/api/artist/uploads/${upload.id}/complete`, {
    method: 'POST',
    headers: { Cookie: cookie },
  })
  expect(done.status).toBe(202)
  return ((await done.json()) as { stem: AuthorStem }).stem
}
