-- Kept property values (issue 21): per contact the handoff has read, the value of each property the definition and
-- mapping read (company.<name> included), and the time it is known as of (the read's start, or a webhook's
-- occurredAt). A later change to the contact is decided from these plus its events, without a HubSpot read, while
-- every value is younger than HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS. Personal data: erased with the contact, and rows
-- older than the bound are purged (useless past it). No foreign key: the table stands alone, like the audit.
CREATE TABLE contact_kept_values (
  hubspot_contact_id text NOT NULL,
  property text NOT NULL,
  value text,
  known_at timestamptz NOT NULL,
  PRIMARY KEY (hubspot_contact_id, property)
);
-- The purge deletes by age.
CREATE INDEX contact_kept_values_known_at ON contact_kept_values (known_at);
