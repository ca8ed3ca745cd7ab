-- Every MQL evaluation the handoff makes, qualified or not (issue 18, calibration): the verdict, and the property
-- values the definition read, so a draft definition can be replayed over a past period. An e-mail address is kept
-- as its domain only (email_domains: property → domain). property_values, email_domains and the breakdown's
-- details are personal data: MQL_EVALUATION_RETENTION_DAYS (default PERSONAL_DATA_RETENTION_DAYS) after the
-- evaluation, or at once when HubSpot deletes the contact, they go (purged_at is set); the verdict (version,
-- segment, score, qualified, fast track, source, the breakdown's rule ids and points) stays, as the audit's does.
-- No foreign key: the table stands alone, like the audit.
CREATE TABLE mql_evaluations (
  id bigserial PRIMARY KEY,
  hubspot_contact_id text NOT NULL,
  evaluated_at timestamptz NOT NULL,
  definition_version text NOT NULL,
  segment_id text NOT NULL,
  score double precision NOT NULL,
  qualified boolean NOT NULL,
  fast_track text,
  source text,
  breakdown jsonb NOT NULL,
  property_values jsonb,
  email_domains jsonb,
  purged_at timestamptz
);
-- The backtest pages through each contact's latest evaluation in a period, in contact order; erasure finds a contact's rows.
CREATE INDEX mql_evaluations_contact ON mql_evaluations (hubspot_contact_id, evaluated_at DESC, id DESC);
CREATE INDEX mql_evaluations_purge_due ON mql_evaluations (evaluated_at) WHERE purged_at IS NULL;
