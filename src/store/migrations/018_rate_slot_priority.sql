-- Budget-aware batching of handoffs (issue 21): the handoff worker groups waiting handoffs once real-time calls
-- use their share of HubSpot's rolling window, which it reads, exact across replicas, from the slot ring every
-- call already takes. Each slot keeps the priority of the call that last took it (at most one call per slot per
-- window, so the slots inside the window are that window's calls). NULL: never taken, or by a caller without one.
ALTER TABLE api_rate_slots ADD COLUMN priority text;
