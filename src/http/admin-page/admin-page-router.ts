import express, { type Request, type Router } from 'express';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { HttpError, describeIssues } from '../errors.ts';
import { ADMIN_DISABLED_MESSAGE, SESSION_COOKIE, issueSession, tokensMatch } from '../admin/auth.ts';
import type { Logger } from '../../log.ts';

export interface AdminPageDeps {
  adminToken: string | undefined;
  logger: Logger;
  now?: () => number;
}

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const sessionBody = z.strictObject({ token: z.string().min(1).max(1000) });

/** Only our own files: no inline scripts, no other origins (the page never needs them). */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * /admin: the static page, and POST /admin/session that trades the admin token for an HttpOnly,
 * SameSite=Strict session cookie (Secure over https) which the admin API also accepts.
 */
export function adminPageRouter(deps: AdminPageDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ module: 'http.admin-page' });
  router.use('/admin', (_req, res, next) => {
    res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });
  router.post('/admin/session', express.json({ limit: '8kb' }), (req, res) => {
    if (!deps.adminToken) throw new HttpError(503, 'admin_disabled', ADMIN_DISABLED_MESSAGE);
    const parsed = sessionBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'invalid_body', 'invalid request body', describeIssues(parsed.error.issues));
    if (!tokensMatch(parsed.data.token, deps.adminToken)) {
      log.warn('admin login refused');
      throw new HttpError(401, 'unauthorized', 'admin token rejected');
    }
    const session = issueSession(deps.adminToken, now());
    res.cookie(SESSION_COOKIE, session.value, cookieOptions(req, new Date(session.expiresAt)));
    res.status(200).json({ expiresAt: new Date(session.expiresAt).toISOString() });
  });
  router.post('/admin/logout', (req, res) => {
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.status(204).end();
  });
  router.use('/admin', express.static(STATIC_DIR, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  return router;
}

function cookieOptions(req: Request, expires?: Date) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: req.secure, path: '/', ...(expires ? { expires } : {}) };
}
