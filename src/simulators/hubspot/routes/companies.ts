import { Router } from 'express';
import { HUBSPOT_LIMITS } from '../../../adapters/hubspot/limits.ts';
import { CONTACT_TO_COMPANY, type CompanyStore } from '../company-store.ts';
import { ALWAYS_RETURNED_COMPANY, DEFAULT_COMPANY_READ_PROPERTIES } from '../properties.ts';
import type { ContactStore } from '../store.ts';
import { SimHttpError } from '../types.ts';
import { batchIds, batchRead, checkBatchSize } from './batch.ts';
import { queryList, type ReadShape, requireArray, requireObject, toApiObject } from './render.ts';

const BASE = '/crm/v3/objects/companies';

/**
 * Companies (CRM API, companies guide): create, read one, batch read (≤ 100 inputs, unknown ids reported in a
 * 207 as contacts are). Companies created here carry no change events: Handoff never subscribes to them.
 */
export function companyRoutes(companies: CompanyStore): Router {
  const router = Router();
  const shape: ReadShape = {
    defaults: DEFAULT_COMPANY_READ_PROPERTIES,
    always: ALWAYS_RETURNED_COMPANY,
    known: (name) => companies.definition(name) !== undefined,
  };

  router.post(BASE, (req, res) => {
    const body = requireObject(req.body, 'body');
    const company = companies.create(requireObject(body.properties ?? {}, 'properties'));
    res.status(201).json(toApiObject(company, Object.keys(company.properties), shape));
  });

  router.post(
    `${BASE}/batch/read`,
    batchRead('COMPANY', (id) => companies.get(id), shape),
  );

  router.get(`${BASE}/:id`, (req, res) => {
    const company = companies.get(req.params.id);
    if (!company) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', 'resource not found');
    res.json(toApiObject(company, queryList(req.query.properties), shape));
  });

  return router;
}

/**
 * `POST /crm/v4/associations/contacts/companies/batch/read` (associations v4 guide; ≤ 1,000 inputs since the
 * changelog "Bug Fix: Batch Read Limit for HubSpot Associations API"). Each contact with companies answers
 * `{from: {id}, to: [{toObjectId, associationTypes: [{category, typeId, label}]}]}`; the primary company
 * carries typeId 1 beside the unlabeled 279. A contact with none is reported in `errors` (207) as HubSpot does
 * (NO_ASSOCIATIONS_FOUND), like an unknown contact.
 */
export function associationRoutes(contacts: ContactStore, companies: CompanyStore): Router {
  const router = Router();
  router.post('/crm/v4/associations/:from/:to/batch/read', (req, res) => {
    const { from, to } = req.params;
    if (from !== 'contacts' || to !== 'companies')
      throw new SimHttpError(400, 'VALIDATION_ERROR', `The simulator only associates contacts with companies, not ${from} with ${to}.`);
    const startedAt = new Date().toISOString();
    const inputs = requireArray(requireObject(req.body, 'body').inputs, 'inputs');
    checkBatchSize(inputs, HUBSPOT_LIMITS.associationsBatchMaxInputs);
    const results = [];
    const errors = [];
    for (const id of batchIds(inputs)) {
      const links = contacts.get(id) ? companies.linksOf(id) : [];
      if (links.length === 0) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No company is associated with contact ${id}.`,
          context: { fromObjectId: [id], fromObjectType: ['CONTACT'], toObjectType: ['COMPANY'] },
          errors: [],
          links: {},
        });
        continue;
      }
      const toEntries = links.map((link) => ({
        toObjectId: Number(link.companyId),
        associationTypes: link.primary ? [CONTACT_TO_COMPANY.primary, CONTACT_TO_COMPANY.unlabeled] : [CONTACT_TO_COMPANY.unlabeled],
      }));
      results.push({ from: { id }, to: toEntries });
    }
    const completedAt = new Date().toISOString();
    if (errors.length === 0) return void res.json({ status: 'COMPLETE', results, startedAt, completedAt });
    res.status(207).json({ status: 'COMPLETE', results, numErrors: errors.length, errors, startedAt, completedAt });
  });
  return router;
}
