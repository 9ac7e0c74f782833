-- Artists author their own campaigns. A draft exists before it has a window, a licence, splits or
-- stems; rather than rebuild `campaigns` (later migrations add columns to it), a draft holds
-- placeholders the database knows: licence and splits the JSON text 'null', an empty window ('')
-- and sample rate 0. Nothing but a draft may hold them.

-- Every licence a campaign ever had, by version; exports name the version they were made under.
CREATE TABLE licence_versions (
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  version INTEGER NOT NULL CHECK (version >= 1),
  policy TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (campaign_id, version)
);

-- Whichever code writes a campaign's licence, its version is recorded (a draft's is rewritten).
INSERT INTO licence_versions (campaign_id, version, policy, created_at)
SELECT id, json_extract(licence, '$.version'), licence, created_at FROM campaigns
WHERE json_type(licence, '$.version') = 'integer';

CREATE TRIGGER campaigns_licence_version_insert AFTER INSERT ON campaigns
WHEN json_type(NEW.licence, '$.version') = 'integer'
BEGIN
  INSERT INTO licence_versions (campaign_id, version, policy, created_at)
  VALUES (NEW.id, json_extract(NEW.licence, '$.version'), NEW.licence,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  ON CONFLICT (campaign_id, version) DO UPDATE SET policy = excluded.policy;
END;

CREATE TRIGGER campaigns_licence_version_update AFTER UPDATE OF licence ON campaigns
WHEN json_type(NEW.licence, '$.version') = 'integer' AND NEW.licence IS NOT OLD.licence
BEGIN
  INSERT INTO licence_versions (campaign_id, version, policy, created_at)
  VALUES (NEW.id, json_extract(NEW.licence, '$.version'), NEW.licence,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  ON CONFLICT (campaign_id, version) DO UPDATE SET policy = excluded.policy,
    created_at = excluded.created_at;
END;

-- A published campaign's licence only moves forward: an edit is a new version.
CREATE TRIGGER campaigns_licence_forward BEFORE UPDATE OF licence ON campaigns
WHEN OLD.status != 'draft' AND NEW.licence IS NOT OLD.licence
  AND COALESCE(json_extract(NEW.licence, '$.version'), 0)
    <= COALESCE(json_extract(OLD.licence, '$.version'), 0)
BEGIN
  SELECT RAISE(ABORT, 'a published licence changes only by a new version');
END;

-- Official images of a campaign that fans may remix (the cover is campaigns.artwork_key).
CREATE TABLE artwork_assets (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  r2_key TEXT NOT NULL UNIQUE,
  content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
  size INTEGER NOT NULL CHECK (size > 0),
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX artwork_assets_campaign ON artwork_assets (campaign_id, created_at);

CREATE INDEX campaigns_owner ON campaigns (owner_id, created_at);

-- Splits: a draft may hold none yet ('null'); anything else still gives every stem shares summing
-- to 10 000 and the fan's cut within 0..10 000. Publishing is checked too.
DROP TRIGGER campaigns_splits_insert;
DROP TRIGGER campaigns_splits_update;

CREATE TRIGGER campaigns_splits_insert BEFORE INSERT ON campaigns
WHEN NOT (NEW.status = 'draft' AND NEW.splits = 'null') AND (
  json_valid(NEW.splits) = 0
  OR json_type(NEW.splits, '$.fanCreatorBps') IS NOT 'integer'
  OR json_extract(NEW.splits, '$.fanCreatorBps') NOT BETWEEN 0 AND 10000
  OR json_type(NEW.splits, '$.stems') IS NOT 'array'
  OR json_array_length(NEW.splits, '$.stems') = 0
  OR EXISTS (
    SELECT 1 FROM json_each(NEW.splits, '$.stems') s
    WHERE json_type(s.value, '$.shares') IS NOT 'array'
      OR (SELECT COALESCE(SUM(json_extract(x.value, '$.bps')), 0)
          FROM json_each(s.value, '$.shares') x) != 10000
      OR EXISTS (SELECT 1 FROM json_each(s.value, '$.shares') x
          WHERE json_type(x.value, '$.bps') IS NOT 'integer' OR json_extract(x.value, '$.bps') < 0)
  ))
BEGIN
  SELECT RAISE(ABORT, 'campaign splits must give each stem shares summing to 10000 basis points');
END;

CREATE TRIGGER campaigns_splits_update BEFORE UPDATE OF splits, status ON campaigns
WHEN NOT (NEW.status = 'draft' AND NEW.splits = 'null') AND (
  json_valid(NEW.splits) = 0
  OR json_type(NEW.splits, '$.fanCreatorBps') IS NOT 'integer'
  OR json_extract(NEW.splits, '$.fanCreatorBps') NOT BETWEEN 0 AND 10000
  OR json_type(NEW.splits, '$.stems') IS NOT 'array'
  OR json_array_length(NEW.splits, '$.stems') = 0
  OR EXISTS (
    SELECT 1 FROM json_each(NEW.splits, '$.stems') s
    WHERE json_type(s.value, '$.shares') IS NOT 'array'
      OR (SELECT COALESCE(SUM(json_extract(x.value, '$.bps')), 0)
          FROM json_each(s.value, '$.shares') x) != 10000
      OR EXISTS (SELECT 1 FROM json_each(s.value, '$.shares') x
          WHERE json_type(x.value, '$.bps') IS NOT 'integer' OR json_extract(x.value, '$.bps') < 0)
  ))
BEGIN
  SELECT RAISE(ABORT, 'campaign splits must give each stem shares summing to 10000 basis points');
END;

-- A published campaign has a licence, a window, a sample rate, and a split for every stem it has
-- (a split names a stem by its row id, or by its manifest id for seeded `<slug>-<id>` rows).
CREATE TRIGGER campaigns_published_insert BEFORE INSERT ON campaigns
WHEN NEW.status != 'draft' AND (
  json_type(NEW.licence, '$.version') IS NOT 'integer' OR NEW.splits = 'null'
  OR NEW.opens_at = '' OR NEW.closes_at = '' OR NEW.sample_rate <= 0)
BEGIN
  SELECT RAISE(ABORT, 'a published campaign needs a licence, splits, a window and a sample rate');
END;

CREATE TRIGGER campaigns_published_update
BEFORE UPDATE OF status, licence, splits, opens_at, closes_at, sample_rate ON campaigns
WHEN NEW.status != 'draft' AND (
  json_type(NEW.licence, '$.version') IS NOT 'integer' OR NEW.splits = 'null'
  OR NEW.opens_at = '' OR NEW.closes_at = '' OR NEW.sample_rate <= 0
  OR EXISTS (
    SELECT 1 FROM stems st WHERE st.campaign_id = NEW.id AND NOT EXISTS (
      SELECT 1 FROM json_each(NEW.splits, '$.stems') s
      WHERE st.id IN (json_extract(s.value, '$.stem'), NEW.slug || '-' || json_extract(s.value, '$.stem'))
    )
  ))
BEGIN
  SELECT RAISE(ABORT, 'a published campaign needs a licence, splits for every stem, a window and a sample rate');
END;
