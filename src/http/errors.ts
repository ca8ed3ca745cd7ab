import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import type { Logger } from '../log.ts';

/** An error with an HTTP status, rendered as `{ error: { code, message, details } }`. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** zod issues as `{ path, message }`, with paths written the way a person reads them: `[3].objectId`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

/**
 * PostgreSQL cannot hold U+0000 in text, and a query given one fails as a whole ("invalid byte sequence for
 * encoding UTF8: 0x00"). A request value holding one (`%00` in a path) is the caller's mistake: a 400 naming it.
 */
export function refuseNul(value: string, path: string, code = 'invalid_params'): void {
  if (value.includes('\u0000')) {
    throw new HttpError(400, code, `${path} must not contain a NUL character`, [
      { path, message: 'must not contain a NUL character (U+0000, %00 in a URL)' },
    ]);
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

/** The one place errors become responses. Unknown errors are logged and answered 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    if (error instanceof ValidationError && error.name === 'ConfigVersionNotFoundError') {
      res.status(404).json({ error: { code: 'not_found', message: error.message, details: error.problems } });
      return;
    }
    if (error instanceof ValidationError) {
      res.status(400).json({ error: { code: 'invalid_request', message: error.message, details: error.problems } });
      return;
    }
    // body-parser errors carry a status (413 too large, 400 bad encoding) and a type.
    const status = typeof error?.status === 'number' ? error.status : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: error.type ?? 'bad_request', message: error.message } });
      return;
    }
    logger.error('unhandled error', { method: req.method, path: req.path, error });
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
