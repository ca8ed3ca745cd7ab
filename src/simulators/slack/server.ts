import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { faultPlanSchema, type SlackFaultPlan, SlackFaults } from './faults.ts';
import { argsOf, bearerCheck, callMethod } from './methods.ts';
import { type SlackSimChannel, type SlackSimMessage, type SlackSimUser, SlackWorkspace } from './workspace.ts';

export type { SlackFaultPlan } from './faults.ts';
export type { SlackSimChannel, SlackSimMessage, SlackSimUser } from './workspace.ts';

export interface SlackSimulatorOptions {
  /** 0 (the default) lets the OS choose a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** The one bot token accepted (Authorization: Bearer, or the `token` form parameter). */
  token: string;
  users?: SlackSimUser[];
  channels?: SlackSimChannel[];
  now?: () => number;
}

export interface SlackSimulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `<url>/api/`: what SLACK_API_URL (WebClient's slackApiUrl) is set to. */
  apiUrl: string;
  /** Messages chat.postMessage accepted, oldest first (also `GET /_sim/messages`). */
  messages(): SlackSimMessage[];
  /** Forces the next calls' answers (also `POST /_sim/faults` with the same JSON). */
  injectFaults(plan: SlackFaultPlan): void;
  /** Forgets messages and faults (also `DELETE /_sim/messages`). */
  reset(): void;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  token: z.string().min(1),
  users: z.array(z.object({ id: z.string().regex(/^[UW][A-Z0-9]+$/), email: z.email(), name: z.string().min(1) })).default([]),
  channels: z
    .array(z.object({ id: z.string().regex(/^[CG][A-Z0-9]+$/), name: z.string().min(1), member: z.boolean().optional() }))
    .default([]),
});

/** A parse failure of the request body is Slack's `invalid_form_data` / `invalid_json`, still with HTTP 200. */
function bodyErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if ((error as { type?: string }).type === 'entity.parse.failed') {
    res.json({ ok: false, error: req.is('application/json') ? 'invalid_json' : 'invalid_form_data' });
  } else next(error);
}

/**
 * A Slack Web API look-alike on loopback for the sandbox and tests: auth.test, users.lookupByEmail and
 * chat.postMessage with Slack's answer shapes, form-encoded or JSON bodies, and injectable rate limits and failures.
 * @slack/web-api works against it when its slackApiUrl is `apiUrl`.
 */
export async function startSlackSimulator(options: SlackSimulatorOptions): Promise<SlackSimulator> {
  const config = optionsSchema.parse(options);
  const workspace = new SlackWorkspace(config.users, config.channels, options.now ?? Date.now);
  const faults = new SlackFaults();
  let baseUrl = '';

  const app = express();
  app.disable('x-powered-by');
  app.get('/_sim/messages', (_req, res) => {
    res.json({ messages: workspace.messages });
  });
  app.delete('/_sim/messages', (_req, res) => {
    workspace.reset();
    faults.reset();
    res.status(204).end();
  });
  app.post('/_sim/faults', express.json(), (req, res) => {
    const plan = faultPlanSchema.safeParse(req.body);
    if (!plan.success) {
      res.status(400).json({ error: plan.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`) });
      return;
    }
    faults.inject(plan.data);
    res.status(204).end();
  });
  app.all(
    '/api/:method',
    express.urlencoded({ extended: false, limit: '1mb' }),
    express.json({ limit: '1mb' }),
    bodyErrors,
    bearerCheck(config.token),
    faults.middleware,
    (req: Request, res: Response) => {
      res.json(callMethod(workspace, String(req.params.method), argsOf(req), `${baseUrl}/`));
    },
  );
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error: 'unknown_method' });
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    messages: () => [...workspace.messages],
    injectFaults: (plan) => faults.inject(plan),
    reset() {
      workspace.reset();
      faults.reset();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
