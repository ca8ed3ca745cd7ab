-- Salesforce Change Data Capture (issue 19). One subscriber per deployment: the replica holding the lease subscribes;
-- the others stand by and take over once it lapses. `epoch` counts every new holder: the fencing token each write of
-- the subscriber checks (under a share lock on this row), so a holder that stalled past its lease can write nothing
-- once another replica took over. status/detail say which path carries Salesforce changes, for /readyz and the admin
-- page: live (the stream), catching-up, reconnecting, unavailable (the org offers no CDC here: the poll carries all).
CREATE TABLE cdc_lease (
  name text PRIMARY KEY,
  holder text NOT NULL,
  epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'starting',
  detail text,
  status_since timestamptz NOT NULL DEFAULT now()
);
-- Where each topic's stream resumes: the replay id of the last event whose effects are recorded, written in the
-- same transaction as those effects (and with the epoch that wrote it).
CREATE TABLE cdc_replay (
  topic text PRIMARY KEY,
  replay_id bytea NOT NULL,
  epoch bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
