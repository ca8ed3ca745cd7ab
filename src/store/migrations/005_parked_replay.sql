-- Replaying parked work. An item whose replay failed again is parked as a new entry of the same chain
-- (chain_id = the first entry's id; NULL on the first entry itself), so its attempts and replay history
-- follow the work across entries.
ALTER TABLE parked_work ADD COLUMN chain_id bigint;

-- Every replay of a parked item: when, by whom (an admin, or the automatic resume), and what became of it.
CREATE TABLE parked_replays (
  id bigserial PRIMARY KEY,
  parked_id bigint NOT NULL REFERENCES parked_work (id),
  chain_id bigint NOT NULL,
  actor text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('handed_off', 'done', 'superseded', 'failed')),
  message text,
  replayed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parked_replays_chain ON parked_replays (chain_id, replayed_at);

-- The automatic resume looks for open items waiting for a condition (an API budget, a valid login).
CREATE INDEX parked_work_waiting ON parked_work ((context ->> 'waitingFor')) WHERE resolved_at IS NULL;
