-- Who signed in (issue 20): the admin page asks for a name at sign-in so every change made in the session is
-- recorded under it. Sessions opened before this column existed keep the name the API has always used.
ALTER TABLE admin_sessions ADD COLUMN name text NOT NULL DEFAULT 'admin';
