-- Raw webhook events, deduplicated by a key derived from the delivery; work happens later.
CREATE TABLE webhook_inbox (
  id bigserial PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE,
  source text NOT NULL,
  event_type text NOT NULL,
  object_type text NOT NULL,
  object_id text NOT NULL,
  property_name text,
  property_value text,
  change_source text,
  occurred_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  outcome text
);
-- The coalescing job reads pending events per contact, oldest first.
CREATE INDEX webhook_inbox_pending ON webhook_inbox (object_id, received_at) WHERE processed_at IS NULL;

-- One HubSpot contact is linked to at most one Salesforce Lead or Contact, and vice versa.
CREATE TABLE record_links (
  hubspot_contact_id text PRIMARY KEY,
  salesforce_object text NOT NULL CHECK (salesforce_object IN ('Lead', 'Contact')),
  salesforce_id text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The audit: every decision about a contact, with the rule that made it.
CREATE TABLE handoff_history (
  id bigserial PRIMARY KEY,
  hubspot_contact_id text NOT NULL,
  salesforce_id text,
  action text NOT NULL,
  stage text,
  reason text,
  definition_version text,
  score double precision,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handoff_history_contact ON handoff_history (hubspot_contact_id, at);

-- What we last wrote to each record, so webhooks echoing our own writes are ignored.
CREATE TABLE last_written (
  side text NOT NULL CHECK (side IN ('hubspot', 'salesforce')),
  record_id text NOT NULL,
  "values" jsonb NOT NULL,
  hash text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (side, record_id)
);

-- Work that failed in a way retries cannot fix, kept for a person to look at.
CREATE TABLE parked_work (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  record_key text NOT NULL,
  provider text,
  message text NOT NULL,
  context jsonb NOT NULL DEFAULT '{}'::jsonb,
  parked_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  attempts integer NOT NULL DEFAULT 1
);
-- At most one open entry per piece of work; parking it again counts an attempt.
CREATE UNIQUE INDEX parked_work_open ON parked_work (kind, record_key) WHERE resolved_at IS NULL;
