-- Flag payloads are strings holding JSON, as PostHog stores them and every SDK expects them (the SDK parses the
-- string). Definitions written before the management API enforced that may hold a payload as a JSON value: rewrite
-- each such value as its JSON text.
UPDATE feature_flag
SET filters = jsonb_set(filters, '{payloads}', (
        SELECT COALESCE(jsonb_object_agg(p.key,
                   CASE WHEN jsonb_typeof(p.value) IN ('string', 'null') THEN p.value ELSE to_jsonb(p.value::text) END),
               '{}'::jsonb)
        FROM jsonb_each(filters -> 'payloads') AS p)),
    version = version + 1,
    updated_at = now()
WHERE jsonb_typeof(filters -> 'payloads') = 'object'
  AND EXISTS (SELECT 1 FROM jsonb_each(filters -> 'payloads') AS p WHERE jsonb_typeof(p.value) NOT IN ('string', 'null'));

-- Where a flag is evaluated: 'server' (server SDKs only), 'client' (browsers and mobile apps only) or 'all'.
ALTER TABLE feature_flag ADD COLUMN evaluation_runtime TEXT NOT NULL DEFAULT 'all'
    CONSTRAINT feature_flag_evaluation_runtime CHECK (evaluation_runtime IN ('all', 'server', 'client'));
-- The evaluation environments (PostHog's evaluation tags) a flag is limited to; empty for every environment.
ALTER TABLE feature_flag ADD COLUMN evaluation_contexts TEXT[] NOT NULL DEFAULT '{}';
