-- API budgets shared by every replica: the limits are per HubSpot app and per Salesforce org, not per process.

-- Rolling-window rate limiter: `max` slot rows per bucket. A call takes the least recently used slot
-- (SKIP LOCKED) and may start at greatest(now, slot time + window): each slot is used at most once per
-- window, so no window ever holds more than `max` calls. Times are epoch milliseconds of the database clock.
CREATE TABLE api_rate_slots (
  bucket text NOT NULL,
  slot integer NOT NULL,
  granted_at double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, slot)
);

-- Calls we made, per provider, minute and priority: the HubSpot day and the Salesforce rolling 24 hours.
CREATE TABLE api_call_counts (
  provider text NOT NULL,
  minute timestamptz NOT NULL,
  priority text NOT NULL,
  calls integer NOT NULL DEFAULT 0,
  PRIMARY KEY (provider, minute, priority)
);

-- What the provider last reported about its own count (Sforce-Limit-Info, X-HubSpot-RateLimit-Daily-*),
-- and our own count at that moment: calls we count after it are added to the provider's figure.
CREATE TABLE api_reported_usage (
  provider text PRIMARY KEY,
  used bigint NOT NULL,
  usage_limit bigint NOT NULL,
  observed_at timestamptz NOT NULL,
  our_count bigint NOT NULL DEFAULT 0
);

-- An open outage stops calls cheaply until `retry_at`, when one replica claims a re-check. A row exists
-- only while the outage lasts; whoever inserts it sends the one alert for it.
CREATE TABLE api_outages (
  provider text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('budget', 'auth')),
  reason text NOT NULL,
  since timestamptz NOT NULL DEFAULT now(),
  retry_at timestamptz NOT NULL,
  alerted_at timestamptz,
  PRIMARY KEY (provider, kind)
);
