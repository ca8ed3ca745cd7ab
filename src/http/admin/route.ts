import type { Request, Response } from 'express';
import type { z } from 'zod';
import { describeIssues, HttpError } from '../errors.ts';
import { sessionNameOf } from './auth.ts';
import { authorHeaders } from './schemas.ts';

/** What a handler answers: JSON (the default) or text such as an exported YAML file. */
export type Reply = { status?: number; json: unknown } | { status?: number; text: string; contentType: string };

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

/** One admin route as data: the router mounts it and the OpenAPI document describes it, from the same schemas. */
export interface AdminRoute {
  method: 'get' | 'post';
  /** Express path, e.g. `/api/config/versions/:id`. */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Records who made a change: X-Admin-Name, else the session's name, else 'admin'. */
  authored?: boolean;
  responses: Record<number, ResponseSpec>;
  run(req: Request, res: Response): Promise<void>;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  author: string;
}

interface RouteSpec<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType> {
  method: 'get' | 'post';
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  authored?: boolean;
  responses: Record<number, ResponseSpec>;
  handle(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<Reply>;
}

/** Types the handler's input from its schemas and erases them for the route table. */
export function defineRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): AdminRoute {
  const { handle, ...meta } = spec;
  return {
    ...meta,
    async run(req, res) {
      const input = {
        params: parse(spec.params, req.params, 'invalid_params', 'path parameters'),
        query: parse(spec.query, { ...(req.query as object) }, 'invalid_query', 'query parameters'),
        // No body (or no JSON content type) is an empty object, so all-optional bodies may be left out.
        body: parse(spec.body, req.body ?? {}, 'invalid_body', 'request body'),
        author: spec.authored ? authorOf(req, res) : 'admin',
      } as RouteInput<z.output<P>, z.output<Q>, z.output<B>>;
      send(res, await handle(input));
    },
  };
}

/**
 * Who made a change: the X-Admin-Name header when given (the token-only API names its caller so), else the name
 * the session was signed in with, else 'admin'.
 */
export function authorOf(req: Request, res: Response): string {
  const header = req.get('x-admin-name');
  const name = header === undefined ? sessionNameOf(res) : header;
  return parse(authorHeaders, { 'x-admin-name': name }, 'invalid_header', 'headers')?.['x-admin-name'] ?? 'admin';
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, code: string, what: string): z.output<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, code, `invalid ${what}`, describeIssues(result.error.issues));
  return result.data;
}

function send(res: Response, reply: Reply): void {
  res.status(reply.status ?? 200);
  if ('text' in reply) res.type(reply.contentType).send(reply.text);
  else res.json(reply.json);
}

export function notFoundError(what: string, id: string): HttpError {
  return new HttpError(404, 'not_found', `${what} ${id} not found`);
}
