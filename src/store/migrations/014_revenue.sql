-- Revenue follow-up (issue 18): one row per Opportunity of a converted Lead of ours. The Lead poll records the link
-- (HubSpot contact ⇄ Lead ⇄ Opportunity) when it sees the conversion; the Opportunity poll then keeps the deal as
-- Salesforce last said it was, and what it last acted on (fingerprint, status): the memory its decisions compare with.
CREATE TABLE opportunities (
  opportunity_id text PRIMARY KEY,
  lead_id text NOT NULL,
  hubspot_contact_id text NOT NULL,
  -- The deal as last read; null until the poll first reads it.
  stage text,
  amount numeric,
  close_date date,
  is_closed boolean,
  is_won boolean,
  forecast_category text,
  loss_reason text,
  owner_id text,
  first_seen_at timestamptz,
  -- What was last acted on: the decision-relevant values (null: nothing yet) and the deal's status then.
  fingerprint text,
  status text CHECK (status IN ('open', 'won', 'lost')),
  -- When the poll acted on the deal's closing (won or lost); null while it is open.
  closed_at timestamptz,
  linked_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX opportunities_contact ON opportunities (hubspot_contact_id);
CREATE INDEX opportunities_lead ON opportunities (lead_id);
CREATE INDEX opportunities_closed ON opportunities (closed_at) WHERE closed_at IS NOT NULL;
