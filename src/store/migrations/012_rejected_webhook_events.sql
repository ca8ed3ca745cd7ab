-- Webhook events refused one by one (a lone surrogate, nesting too deep, fields of the wrong shape) while the
-- rest of their delivery was stored. Only what identifies an event and why it was refused: never its payload,
-- which may hold personal data.
CREATE TABLE rejected_webhook_events (
  id bigserial PRIMARY KEY,
  source text NOT NULL,
  dedupe_key text,
  event_id text,
  subscription_type text,
  object_id text,
  reason text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
-- Newest first for people, and oldest first for pruning.
CREATE INDEX rejected_webhook_events_received ON rejected_webhook_events (received_at);
