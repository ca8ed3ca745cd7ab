-- The HubSpot write-back outbox (issue 21): a handoff batch records here, in the transaction that persists its
-- results, what HubSpot is still to learn about each contact (lifecycle, lead status, Salesforce id, score, the
-- sales-ready list), so the Lead's path no longer waits for HubSpot. A flusher in every replica sends the rows in
-- grouped calls and deletes them once sent or parked; a crash at any point leaves them here to send.
CREATE TABLE hubspot_writebacks (
  -- One row per contact: a later batch's write-back merges into a row still waiting (later values win).
  contact_id text PRIMARY KEY,
  -- Final property values to write ({} once only the list add is left).
  properties jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The list (by name, as the mappings call it) the contact joins, or null.
  list_name text,
  -- The HubSpot budget priority the write-back is sent at: the handoff's, or a backfill's (bulk, which stops first).
  priority text NOT NULL DEFAULT 'handoff' CHECK (priority IN ('handoff', 'bulk')),
  -- Sends tried and failed with a retryable error; decides the backoff.
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- Set while a flusher is sending the row (a lease: an older claim belongs to a flusher that died).
  claimed_at timestamptz,
  last_error text,
  queued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hubspot_writebacks_due ON hubspot_writebacks (next_attempt_at);
