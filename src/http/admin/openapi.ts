import { z } from 'zod';
import type { AdminRoute } from './route.ts';
import { errorResponse } from './schemas.ts';

type JsonObject = Record<string, unknown>;

/** `/api/config/versions/:id` → `/api/config/versions/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Requests are described as the client sends them (before defaults), responses as the server writes them. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

function parametersOf(route: AdminRoute): JsonObject[] {
  const parameters: JsonObject[] = [];
  const add = (where: 'path' | 'query', object: z.ZodObject | undefined) => {
    if (!object) return;
    const json = schemaOf(object, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  if (route.authored) {
    parameters.push({
      name: 'X-Admin-Name',
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 100 },
      description: 'Author recorded with the change (default "admin")',
    });
  }
  return parameters;
}

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** Success bodies come from the route; every error uses the one error shape of errorHandler. */
function responsesOf(route: AdminRoute): JsonObject {
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    if (Number(status) >= 400) continue;
    const contentType = spec.contentType ?? 'application/json';
    responses[status] = {
      description: spec.description,
      ...(spec.schema ? { content: { [contentType]: { schema: schemaOf(spec.schema, 'output') } } } : {}),
    };
  }
  const error = (status: number, fallback: string) => ({
    description: route.responses[status]?.description ?? fallback,
    content: ERROR_CONTENT,
  });
  responses['400'] = error(400, 'Invalid request: details list each path and reason');
  responses['401'] = error(401, 'Missing or wrong admin token');
  if (route.method !== 'get') {
    responses['403'] = error(
      403,
      'With the session cookie: Origin (else Referer) is not this site (cross_origin) or is missing (origin_required)',
    );
    responses['415'] = error(415, 'With the session cookie: the body is not application/json (json_required)');
  }
  responses['429'] = error(429, 'Too many failed admin authentications from this client (auth_rate_limited); see Retry-After');
  // Any other error the route declares (404, 409, 502 …), described by the route.
  for (const status of Object.keys(route.responses).map(Number)) {
    if (status >= 400 && ![400, 401, 403, 415, 429, 503].includes(status)) responses[String(status)] = error(status, 'Error');
  }
  responses['503'] = error(503, 'Admin API disabled: ADMIN_TOKEN is not set');
  return responses;
}

function operationOf(route: AdminRoute): JsonObject {
  return {
    operationId: `${route.method}${openApiPath(route.path).replace(/[{}]/g, '').split(/[/-]/).map(capitalise).join('')}`,
    summary: route.summary,
    tags: [route.tag],
    parameters: parametersOf(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } } : {}),
    responses: responsesOf(route),
  };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** OpenAPI 3.1 for the admin routes, generated from the route table and its zod schemas. */
export function buildOpenApiDocument(routes: AdminRoute[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Handoff admin API',
      version: '1',
      description: 'Configuration versions (with dry run and backtest), record look-up and parked work.',
    },
    servers: [{ url: '/' }],
    security: [{ adminToken: [] }, { adminSession: [] }],
    paths,
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN of the service' },
        adminSession: { type: 'apiKey', in: 'cookie', name: 'handoff_admin', description: 'Set by POST /admin/session' },
      },
      schemas: { Error: schemaOf(errorResponse, 'output') },
    },
  };
}
