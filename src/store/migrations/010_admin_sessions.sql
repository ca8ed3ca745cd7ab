-- Admin page sessions, shared by every replica so that signing out ends a session everywhere. The cookie holds
-- a random id; only its SHA-256 is kept, so a copy of this table opens no session. token_mac binds the session to
-- the ADMIN_TOKEN that opened it (an HMAC keyed by the token): after the token is rotated no session matches.
CREATE TABLE admin_sessions (
  id_hash bytea PRIMARY KEY,
  token_mac bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

-- The sweep of expired sessions at each sign-in.
CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at);
