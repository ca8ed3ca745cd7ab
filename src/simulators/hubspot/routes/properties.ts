import { Router } from 'express';
import type { PropertyDefinition } from '../properties.ts';
import { SimHttpError } from '../types.ts';
import { requireObject } from './render.ts';

/** What holds an object's property definitions (contacts: ContactStore, companies: CompanyStore). */
export interface PropertyRegistry {
  listDefinitions(): PropertyDefinition[];
  definition(name: string): PropertyDefinition | undefined;
  defineProperty(definition: PropertyDefinition): PropertyDefinition;
  updateProperty(name: string, changes: Partial<PropertyDefinition>): PropertyDefinition;
}
const TYPES = new Set(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']);

function parseDefinition(body: Record<string, unknown>): PropertyDefinition {
  const { name, label, type, fieldType, groupName } = body;
  const missing = Object.entries({ name, label, type, fieldType, groupName }).filter(
    ([, value]) => typeof value !== 'string' || value === '',
  );
  if (missing.length > 0) {
    throw new SimHttpError(400, 'VALIDATION_ERROR', `Missing required fields: ${missing.map(([key]) => key).join(', ')}`);
  }
  if (!TYPES.has(type as string)) throw new SimHttpError(400, 'VALIDATION_ERROR', `Unknown property type ${String(type)}`);
  if (!/^[a-z][a-z0-9_]*$/.test(name as string))
    throw new SimHttpError(400, 'VALIDATION_ERROR', 'Property names are lowercase letters, digits and underscores.');
  const definition: PropertyDefinition = {
    name: name as string,
    label: label as string,
    type: type as PropertyDefinition['type'],
    fieldType: fieldType as string,
    groupName: groupName as string,
  };
  if (typeof body.description === 'string') definition.description = body.description;
  if (Array.isArray(body.options)) definition.options = body.options as NonNullable<PropertyDefinition['options']>;
  return definition;
}

function parseChanges(body: Record<string, unknown>): Partial<PropertyDefinition> {
  const changes: Partial<PropertyDefinition> = {};
  for (const key of ['label', 'description', 'groupName'] as const) {
    if (body[key] === undefined) continue;
    if (typeof body[key] !== 'string') throw new SimHttpError(400, 'VALIDATION_ERROR', `${key} must be a string`);
    changes[key] = body[key];
  }
  if (body.options !== undefined) {
    const options = body.options;
    if (!Array.isArray(options) || options.some((o) => typeof o?.value !== 'string' || typeof o?.label !== 'string')) {
      throw new SimHttpError(400, 'VALIDATION_ERROR', 'options must be a list of { label, value }');
    }
    changes.options = options.map((o, i) => ({
      label: o.label,
      value: o.value,
      displayOrder: Number(o.displayOrder ?? i),
      hidden: Boolean(o.hidden),
    }));
  }
  return changes;
}

/**
 * Property definitions of one object type (`/crm/v3/properties/contacts` or `/companies`): list, read one,
 * create custom ones (409 on a taken name), update one.
 */
export function propertyRoutes(store: PropertyRegistry, objectType: 'contacts' | 'companies' = 'contacts'): Router {
  const BASE = `/crm/v3/properties/${objectType}`;
  const router = Router();
  router.get(BASE, (_req, res) => {
    res.json({ results: store.listDefinitions() });
  });
  router.get(`${BASE}/:name`, (req, res) => {
    const definition = store.definition(req.params.name);
    if (!definition) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${req.params.name}`);
    res.json(definition);
  });
  router.post(BASE, (req, res) => {
    res.status(201).json(store.defineProperty(parseDefinition(requireObject(req.body, 'body'))));
  });
  router.patch(`${BASE}/:name`, (req, res) => {
    res.json(store.updateProperty(req.params.name, parseChanges(requireObject(req.body, 'body'))));
  });
  return router;
}
