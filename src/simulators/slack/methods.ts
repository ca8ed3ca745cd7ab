import type { NextFunction, Request, Response } from 'express';
import type { SlackWorkspace } from './workspace.ts';

type Args = Record<string, unknown>;
type Answer = Record<string, unknown> & { ok: boolean };

/** Web API answers are HTTP 200 with `ok`; a failure names its code in `error` ("Using the Web API", "Evaluating responses"). */
const failure = (error: string): Answer => ({ ok: false, error });

export const BOT = { userId: 'U0HANDOFFBOT', botId: 'B0HANDOFF', teamId: 'T0HANDOFF', team: 'Handoff Sandbox' } as const;

/** The call's arguments: query string, then the form or JSON body ("Content types": both are accepted). */
export function argsOf(req: Request): Args {
  const body = req.body && typeof req.body === 'object' ? (req.body as Args) : {};
  return { ...(req.query as Args), ...body };
}

/**
 * "Authentication token … passed as an HTTP Authorization header or alternatively, as a POST parameter": a JSON body
 * must use the header; a form body or query may carry `token`.
 */
export function bearerCheck(token: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const param = req.is('application/json') ? undefined : argsOf(req).token;
    const given = header ?? (typeof param === 'string' ? param : undefined);
    if (!given) res.json(failure('not_authed'));
    else if (given !== token) res.json(failure('invalid_auth'));
    else next();
  };
}

function authTest(url: string): Answer {
  return { ok: true, url, team: BOT.team, user: 'handoff', team_id: BOT.teamId, user_id: BOT.userId, bot_id: BOT.botId };
}

/** users.lookupByEmail: the user object, or `users_not_found`. */
function lookupByEmail(workspace: SlackWorkspace, args: Args): Answer {
  if (typeof args.email !== 'string' || args.email === '') return failure('invalid_arguments');
  const user = workspace.userByEmail(args.email);
  if (!user) return failure('users_not_found');
  return {
    ok: true,
    user: {
      id: user.id,
      team_id: BOT.teamId,
      name: user.name,
      deleted: false,
      real_name: user.name,
      is_bot: false,
      profile: { email: user.email, real_name: user.name, display_name: user.name },
    },
  };
}

/** `blocks` is a JSON array, or in a form body "a JSON-based array of structured blocks, presented as a URL-encoded string". */
function blocksOf(value: unknown): unknown[] | undefined | 'invalid' {
  if (value === undefined || value === '') return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return 'invalid';
    }
  }
  return Array.isArray(parsed) && parsed.every((block) => typeof (block as { type?: unknown })?.type === 'string') ? parsed : 'invalid';
}

/** chat.postMessage: to a user id (the DM), a channel id or a channel name; `text` or `blocks` required. */
function postMessage(workspace: SlackWorkspace, args: Args): Answer {
  if (typeof args.channel !== 'string' || args.channel === '') return failure('channel_not_found');
  const blocks = blocksOf(args.blocks);
  if (blocks === 'invalid') return failure('invalid_blocks');
  const text = typeof args.text === 'string' && args.text !== '' ? args.text : undefined;
  if (!text && !blocks) return failure('no_text');
  const target = workspace.resolveTarget(args.channel);
  if ('error' in target) return failure(target.error);
  const ts = workspace.nextTs();
  workspace.messages.push({ channel: target.channel, ...(target.user ? { user: target.user } : {}), text, blocks, ts });
  return {
    ok: true,
    channel: target.channel,
    ts,
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: text ?? '',
      user: BOT.userId,
      bot_id: BOT.botId,
      ts,
      ...(blocks ? { blocks } : {}),
    },
  };
}

/** The Web API methods the notification channel uses; any other answers `unknown_method`. */
export function callMethod(workspace: SlackWorkspace, method: string, args: Args, url: string): Answer {
  switch (method) {
    case 'auth.test':
      return authTest(url);
    case 'users.lookupByEmail':
      return lookupByEmail(workspace, args);
    case 'chat.postMessage':
      return postMessage(workspace, args);
    default:
      return failure('unknown_method');
  }
}
