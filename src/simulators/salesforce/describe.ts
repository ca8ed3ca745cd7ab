import express, { type Request, type Response } from 'express';
import type { SimContext } from './context.ts';
import type { FieldDef, ObjectDef } from './schema.ts';

/** The subset of DescribeSObjectResult field properties that integrations read. */
function describeField(field: FieldDef): Record<string, unknown> {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    length: field.length ?? 0,
    precision: field.precision ?? 0,
    scale: field.scale ?? 0,
    custom: field.custom ?? false,
    createable: field.createable,
    updateable: field.updateable,
    nillable: !field.required && field.type !== 'boolean' && field.type !== 'id',
    defaultedOnCreate:
      field.defaultValue !== undefined ||
      [
        'Id',
        'OwnerId',
        'CreatedById',
        'CreatedDate',
        'LastModifiedById',
        'LastModifiedDate',
        'SystemModstamp',
        'IsConverted',
        'IsClosed',
      ].includes(field.name),
    externalId: field.externalId ?? false,
    unique: field.unique ?? false,
    idLookup: field.name === 'Id' || field.externalId === true || field.type === 'email',
    restrictedPicklist: field.restrictedPicklist ?? false,
    referenceTo: field.referenceTo ?? [],
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: value === field.defaultValue,
      label: value,
      validFor: null,
      value,
    })),
  };
}

function describeObject(object: ObjectDef, version: string): Record<string, unknown> {
  return {
    name: object.name,
    label: object.label,
    keyPrefix: object.keyPrefix,
    custom: false,
    createable: true,
    updateable: true,
    queryable: true,
    fields: object.fields.map(describeField),
    urls: {
      describe: `/services/data/v${version}/sobjects/${object.name}/describe`,
      sobject: `/services/data/v${version}/sobjects/${object.name}`,
    },
  };
}

export function describeRouter(context: SimContext): express.Router {
  const router = express.Router({ mergeParams: true });
  router.get('/sobjects/:object/describe', (req: Request, res: Response) => {
    res.json(describeObject(context.store.object(String(req.params.object)), context.settings.apiVersion));
  });
  return router;
}
