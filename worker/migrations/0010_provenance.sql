-- The Ed25519 signature of each export's manifest (JSON: alg, kid, value), written by the export
-- job once the outputs' hashes are in the manifest; GET /api/manifests/:id serves both.
ALTER TABLE exports ADD COLUMN manifest_signature TEXT;
