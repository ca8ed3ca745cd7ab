-- When a provider last got a call more urgent than bulk (a handoff, a sync), from any replica, in epoch
-- milliseconds of that replica's clock. Bulk work borrows the rolling window real-time work leaves unused
-- only while no replica has made such a call within a window.
CREATE TABLE api_urgent_calls (
  provider text PRIMARY KEY,
  last_call_ms double precision NOT NULL
);
