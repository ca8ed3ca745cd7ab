-- Owner routing (issue 17). Round-robin state lives here so it is exact across replicas: a pool's member rows are
-- read FOR UPDATE, the pick is decided in core, and the new state is written in the same transaction.
CREATE TABLE routing_members (
  pool_id text NOT NULL,
  -- The member as routing.yaml names it: a lower-case e-mail or a User Id.
  member text NOT NULL,
  -- Smooth weighted round robin's running credit (core/routing/round-robin.ts).
  credit integer NOT NULL DEFAULT 0,
  -- The local day (pool time zone) assigned_today counts.
  day date,
  assigned_today integer NOT NULL DEFAULT 0,
  paused boolean NOT NULL DEFAULT false,
  paused_by text,
  paused_at timestamptz,
  PRIMARY KEY (pool_id, member)
);

-- One row per routing decision that gave a Lead its owner. A decision is `reserved` before the Lead is created
-- (so the pool's turn is taken exactly once even if the create is parked and replayed: the replay reuses it),
-- `assigned` once the Lead is committed, `released` if the contact never got that Lead (linked or erased instead).
CREATE TABLE lead_assignments (
  id bigserial PRIMARY KEY,
  hubspot_contact_id text NOT NULL,
  lead_id text,
  state text NOT NULL DEFAULT 'reserved' CHECK (state IN ('reserved', 'assigned', 'released')),
  kind text NOT NULL DEFAULT 'initial' CHECK (kind IN ('initial', 'reroute')),
  rule_id text NOT NULL,
  strategy text NOT NULL,
  pool_id text,
  member text,
  -- The owner's User or queue Id; null until Salesforce tells it when the org's assignment rule chose.
  owner_id text,
  owner_kind text NOT NULL CHECK (owner_kind IN ('user', 'queue', 'assignment-rule')),
  previous_owner_id text,
  -- The decision for people: reason, rules passed, members skipped (ids and reasons only, no personal data).
  decision jsonb NOT NULL,
  routing_version text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now(),
  assigned_at timestamptz
);
-- One reserved decision per contact and kind: a replayed create (or a retried re-route) reuses it.
CREATE UNIQUE INDEX lead_assignments_one_reserved ON lead_assignments (hubspot_contact_id, kind) WHERE state = 'reserved';
CREATE INDEX lead_assignments_lead ON lead_assignments (lead_id, assigned_at);
CREATE INDEX lead_assignments_owner ON lead_assignments (owner_id, assigned_at) WHERE state = 'assigned';
CREATE INDEX lead_assignments_pool ON lead_assignments (pool_id, assigned_at) WHERE state = 'assigned';
-- The record look-up and the KPIs' "next assignment of the contact" read a contact's assignments in order.
CREATE INDEX lead_assignments_contact ON lead_assignments (hubspot_contact_id, assigned_at);
CREATE INDEX lead_assignments_assigned ON lead_assignments (assigned_at) WHERE state = 'assigned';

-- One notification per assignment, kind, channel and recipient: the unique key makes it exactly once across replicas
-- and restarts; a worker claims a row (state sending) before it sends and marks it delivered after.
CREATE TABLE owner_notifications (
  id bigserial PRIMARY KEY,
  assignment_id bigint NOT NULL REFERENCES lead_assignments (id),
  kind text NOT NULL CHECK (kind IN ('assigned', 'rerouted', 'reassigned_away')),
  channel text NOT NULL CHECK (channel IN ('slack', 'email', 'salesforce')),
  recipient_id text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'delivered', 'parked')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_at timestamptz,
  delivered_at timestamptz,
  last_error text,
  -- Personal data (the message and the recipient's address): cleared once delivered, or parked past retention.
  content jsonb,
  recipient jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (assignment_id, kind, channel, recipient_id)
);
CREATE INDEX owner_notifications_due ON owner_notifications (next_attempt_at) WHERE state IN ('pending', 'sending');

-- The first-touch clock starts at assignment and belongs to an owner: a re-route starts a new one for the new owner.
ALTER TABLE sla_timers ADD COLUMN assignment_id bigint REFERENCES lead_assignments (id);
ALTER TABLE sla_timers ADD COLUMN owner_id text;
-- A breached first-touch clock whose rule re-routes is settled once (re-routed, kept, or parked); until then the SLA
-- tick tries again (a retryable Salesforce failure). Clocks breached before routing existed are settled already.
ALTER TABLE sla_timers ADD COLUMN reroute_settled_at timestamptz;
UPDATE sla_timers SET reroute_settled_at = breached_at WHERE breached_at IS NOT NULL;
CREATE INDEX sla_timers_reroute_due ON sla_timers (breached_at)
  WHERE kind = 'first_touch' AND breached_at IS NOT NULL AND stopped_at IS NULL AND reroute_settled_at IS NULL;
