-- Approval binds to what was heard: each export that needs the artist's approval is approved or
-- rejected on its own. `approval` is 'none' when the licence it was made under asks for no approval,
-- else 'pending' until the artist decides; `approval_id` is the decision's log entry (its reason).
ALTER TABLE exports ADD COLUMN approval TEXT NOT NULL DEFAULT 'none'
  CHECK (approval IN ('none', 'pending', 'approved', 'rejected'));
ALTER TABLE exports ADD COLUMN approval_id TEXT REFERENCES moderation_log(id);
CREATE INDEX exports_pending ON exports (campaign_id, created_at) WHERE approval = 'pending';

-- Existing exports made under a licence that asks for approval. Until now the artist's decision
-- was on the remix and the queue showed its latest ready export: that export is what the artist
-- heard, so it takes the remix's decision (approved for a published or taken-down remix, rejected
-- for one sent back). Its other exports were never heard: they wait for the artist, except those of
-- a remix sent back, which went back to the fan with it.
UPDATE exports SET
  approval = CASE
    WHEN (SELECT r.status FROM remixes r WHERE r.id = exports.remix_id) = 'draft' THEN 'rejected'
    WHEN (SELECT r.status FROM remixes r WHERE r.id = exports.remix_id) = 'submitted'
      THEN 'pending'
    WHEN exports.id = (SELECT x.id FROM exports x WHERE x.remix_id = exports.remix_id
      AND x.status = 'ready' ORDER BY x.created_at DESC, x.rowid DESC LIMIT 1) THEN 'approved'
    ELSE 'pending'
  END,
  approval_id = CASE
    WHEN (SELECT r.status FROM remixes r WHERE r.id = exports.remix_id) = 'draft'
      OR exports.id = (SELECT x.id FROM exports x WHERE x.remix_id = exports.remix_id
        AND x.status = 'ready' ORDER BY x.created_at DESC, x.rowid DESC LIMIT 1)
      THEN (SELECT l.id FROM moderation_log l WHERE l.remix_id = exports.remix_id
        AND l.action IN ('approve', 'reject') ORDER BY l.at DESC, l.rowid DESC LIMIT 1)
  END
WHERE EXISTS (
  SELECT 1 FROM campaigns c, json_each(COALESCE((SELECT v.policy FROM licence_versions v
    WHERE v.campaign_id = c.id AND v.version = exports.licence_version), c.licence), '$.duties') d
  WHERE c.id = exports.campaign_id AND json_extract(d.value, '$.action') = 'obtainApproval'
);
