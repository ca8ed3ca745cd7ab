-- Personal data is kept only as long as it is used (issue 15). A processed webhook's payload and value are
-- replaced by their non-personal envelope once PERSONAL_DATA_RETENTION_DAYS have passed, or at once when HubSpot
-- deletes the contact; the row stays, so counts per type and outcome and the deduplication key remain.
ALTER TABLE webhook_inbox ADD COLUMN purged_at timestamptz;
CREATE INDEX webhook_inbox_purge_due ON webhook_inbox (processed_at) WHERE processed_at IS NOT NULL AND purged_at IS NULL;

-- Audit entries keep ids, action, stage, rule version, score and time for the KPIs; their free text (reason) and
-- the detail beyond the non-personal keys the KPIs read are dropped after the retention or with the contact.
ALTER TABLE handoff_history ADD COLUMN purged_at timestamptz;
CREATE INDEX handoff_history_purge_due ON handoff_history (at) WHERE purged_at IS NULL;

-- Resolved parked work keeps its kind, key, provider and time; its context and message are reduced the same way.
ALTER TABLE parked_work ADD COLUMN purged_at timestamptz;
CREATE INDEX parked_work_purge_due ON parked_work (resolved_at) WHERE resolved_at IS NOT NULL AND purged_at IS NULL;

-- Contacts erased on HubSpot's privacy deletion: finding one here stops the service from gathering data on it again.
CREATE INDEX handoff_history_erased ON handoff_history (hubspot_contact_id) WHERE action = 'erased';
