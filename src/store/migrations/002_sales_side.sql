-- Small named values the service keeps between runs, e.g. the Salesforce poll watermark.
CREATE TABLE sync_state (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- What the service last acted on for each Salesforce Lead: the change detector for the poller (an unchanged
-- fingerprint is an echo or an overlap re-read) and the open flag while a Lead waits for its rep.
CREATE TABLE lead_memory (
  lead_id text PRIMARY KEY,
  hubspot_contact_id text NOT NULL,
  stage text,
  status text,
  fingerprint text NOT NULL,
  flagged text,
  flag_task_id text,
  flagged_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lead_memory_flagged ON lead_memory (flagged) WHERE flagged IS NOT NULL;
