-- Backfill and resync runs (issue 7). The run record is the truth about a run; the pg-boss job only says which
-- replica works on it. The checkpoint (HubSpot paging cursor) and the counts are committed in the same transaction
-- as each page's links and history, so a crash resumes from the last commit and redoes at most the pages in flight.
CREATE TABLE backfill_runs (
  id bigserial PRIMARY KEY,
  mode text NOT NULL CHECK (mode IN ('handoff', 'resync')),
  filter jsonb NOT NULL DEFAULT '{}'::jsonb,
  dry_run boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'paused', 'done', 'failed', 'cancelled')),
  -- How contacts are paged: HubSpot's list endpoint, HubSpot search (a filter), or our own links (resync).
  source text NOT NULL CHECK (source IN ('list', 'search', 'links')),
  checkpoint jsonb NOT NULL DEFAULT '{"after": null, "pages": 0}'::jsonb,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Contacts to go through, when HubSpot (or the link table) said; null while unknown.
  total integer,
  sample jsonb NOT NULL DEFAULT '[]'::jsonb,
  error text,
  requested_by text NOT NULL,
  cancel_requested_at timestamptz,
  -- Fencing token of the worker holding the run: a commit by any other worker changes nothing.
  worker_token text,
  attempts integer NOT NULL DEFAULT 0,
  read_at_resume integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  resumed_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One run at a time: the database refuses a second active one whatever the callers do.
CREATE UNIQUE INDEX backfill_runs_one_active ON backfill_runs ((true)) WHERE status IN ('queued', 'running', 'paused');
