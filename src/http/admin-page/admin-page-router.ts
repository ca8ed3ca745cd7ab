import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../log.ts';
import { ADMIN_DISABLED_MESSAGE, readCookie, SESSION_COOKIE, tokensMatch } from '../admin/auth.ts';
import { sessionChangeProblem } from '../admin/same-origin.ts';
import { adminName } from '../admin/schemas.ts';
import { type AdminSessions, processLocalSessions } from '../admin/sessions.ts';
import { describeIssues, HttpError } from '../errors.ts';

export interface AdminPageDeps {
  adminToken: string | undefined;
  /** The same sessions the admin API router gets; left out, this process's memory. */
  sessions?: AdminSessions;
  /** PUBLIC_BASE_URL: https there makes the cookie Secure, and its origin may sign out. */
  publicBaseUrl?: string;
  logger: Logger;
  now?: () => number;
}

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../../node_modules/', import.meta.url));
/**
 * The code editor (CodeMirror 6) and the yaml package's browser build, served as the ES modules they ship: these
 * packages only, their .js files only. index.html's import map names each one's entry file.
 */
const VENDOR_PACKAGES = [
  'codemirror',
  '@codemirror/autocomplete',
  '@codemirror/commands',
  '@codemirror/lang-yaml',
  '@codemirror/language',
  '@codemirror/lint',
  '@codemirror/search',
  '@codemirror/state',
  '@codemirror/streamparser',
  '@codemirror/view',
  '@lezer/common',
  '@lezer/highlight',
  '@lezer/lr',
  '@lezer/yaml',
  '@marijn/find-cluster-break',
  'crelt',
  'style-mod',
  'w3c-keyname',
  'yaml',
] as const;
/** Sign-in: the admin token, and the name every change made in the session is recorded under. */
const sessionBody = z.strictObject({ token: z.string().min(1).max(1000), name: adminName });

/** The one inline script, index.html's import map, allowed by its hash (Chromium has no external import maps). */
function importMapHash(): string {
  const html = readFileSync(`${STATIC_DIR}index.html`, 'utf8');
  const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(map).digest('base64')}'`;
}

/** Only our own files: no other inline scripts, no other origins (the page never needs them). */
const CONTENT_SECURITY_POLICY = `default-src 'self'; script-src 'self' ${importMapHash()}; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;

/** /admin/vendor/<package>/<file>.js for the allow-listed packages; anything else falls through to a 404. */
function vendorModules(): Router {
  const router = express.Router();
  router.use('/admin/vendor', (req, res, next) => (req.path.endsWith('.js') ? next() : res.status(404).end()));
  for (const name of VENDOR_PACKAGES) {
    router.use(`/admin/vendor/${name}`, express.static(`${NODE_MODULES}${name}`, { index: false, fallthrough: false }));
  }
  return router;
}

/**
 * /admin: the static page; POST /admin/session that trades the admin token and a name for an HttpOnly,
 * SameSite=Strict session cookie (Secure over https) which the admin API also accepts; GET /admin/session that says
 * who is signed in; POST /admin/logout that ends the session on the server, for every replica.
 */
export function adminPageRouter(deps: AdminPageDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const sessions = deps.sessions ?? processLocalSessions();
  const secureCookie = (req: Request) => req.secure || deps.publicBaseUrl?.startsWith('https:') === true;
  const cookieOptions = (req: Request, expires?: Date) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: secureCookie(req),
    path: '/',
    ...(expires ? { expires } : {}),
  });
  const log = deps.logger.child({ module: 'http.admin-page' });
  router.use('/admin', (_req, res, next) => {
    res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });
  router.post('/admin/session', express.json({ limit: '8kb' }), async (req, res) => {
    if (!deps.adminToken) throw new HttpError(503, 'admin_disabled', ADMIN_DISABLED_MESSAGE);
    const parsed = sessionBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'invalid_body', 'invalid request body', describeIssues(parsed.error.issues));
    if (!tokensMatch(parsed.data.token, deps.adminToken)) {
      log.warn('admin login refused');
      throw new HttpError(401, 'unauthorized', 'admin token rejected');
    }
    const { name } = parsed.data;
    const session = await sessions.open(deps.adminToken, now(), name);
    res.cookie(SESSION_COOKIE, session.value, cookieOptions(req, new Date(session.expiresAt)));
    res.status(200).json({ expiresAt: new Date(session.expiresAt).toISOString(), name });
  });
  router.get('/admin/session', async (req, res) => {
    if (!deps.adminToken) throw new HttpError(503, 'admin_disabled', ADMIN_DISABLED_MESSAGE);
    const cookie = readCookie(req, SESSION_COOKIE);
    const session = cookie === undefined ? undefined : await sessions.find(cookie, deps.adminToken, now());
    if (!session) throw new HttpError(401, 'unauthorized', 'not signed in');
    res.status(200).json({ name: session.name });
  });
  router.post('/admin/logout', async (req, res) => {
    const session = readCookie(req, SESSION_COOKIE);
    if (session !== undefined) {
      // Another site must not be able to sign the operator out either.
      const problem = sessionChangeProblem(req, deps.publicBaseUrl);
      if (problem) throw problem;
      await sessions.close(session);
    }
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.status(204).end();
  });
  router.use(vendorModules());
  router.use('/admin', express.static(STATIC_DIR, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  return router;
}
