-- SLA clocks: one row per clock (first touch, disposition) per handoff. Timers are rows, not in-memory
-- state, so they survive restarts; the tick claims due rows with SKIP LOCKED, so each fires once across replicas.
CREATE TABLE sla_timers (
  id bigserial PRIMARY KEY,
  lead_id text NOT NULL,
  hubspot_contact_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('first_touch', 'disposition')),
  rule text NOT NULL,
  source text,
  segment text,
  definition_version text,
  handed_off_at timestamptz NOT NULL,
  -- Our own sync time: first webhook received for the contact → Lead committed in Salesforce.
  routing_delay_ms bigint,
  warn_at timestamptz,
  due_at timestamptz NOT NULL,
  warned_at timestamptz,
  breached_at timestamptz,
  -- How late the clock was when it breached, in wall-clock milliseconds past due_at.
  late_by_ms bigint,
  stopped_at timestamptz,
  stop_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (lead_id, kind, handed_off_at)
);
CREATE INDEX sla_timers_running ON sla_timers (due_at) WHERE stopped_at IS NULL AND breached_at IS NULL;
CREATE INDEX sla_timers_warn ON sla_timers (warn_at) WHERE stopped_at IS NULL AND warned_at IS NULL AND breached_at IS NULL;
CREATE INDEX sla_timers_lead ON sla_timers (lead_id) WHERE stopped_at IS NULL;
