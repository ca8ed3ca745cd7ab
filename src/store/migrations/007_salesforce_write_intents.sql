-- Values the handoff is about to write to a contact's Salesforce record, recorded before the write and cleared
-- when the batch's results commit. In between (a slow commit, or a crash after Salesforce saved the record), the
-- Lead poll still knows these values as our own, never as a rep's edit to copy back over newer HubSpot values.
-- Keyed by HubSpot contact: a Lead being created has no Id yet. One row per attempt, so a retry that writes
-- other values keeps the earlier attempt's values known too.
CREATE TABLE salesforce_write_intents (
  id bigserial PRIMARY KEY,
  hubspot_contact_id text NOT NULL,
  "values" jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX salesforce_write_intents_contact ON salesforce_write_intents (hubspot_contact_id);
