import { backtestResult } from '../../config/versions/backtest-schema.ts';
import type { ConfigVersionsPort } from '../../config/versions/config-versions-port.ts';
import { configDraftRoutes, refuseInvalid, withDraftValidation } from './config-draft-routes.ts';
import { type AdminRoute, defineRoute, notFoundError } from './route.ts';
import {
  backtestBody,
  createDraftBody,
  dryRunBody,
  dryRunResult,
  emptyObject,
  exportFiles,
  exportQuery,
  invalidVersionError,
  rollbackBody,
  validateBody,
  validationReport,
  versionDetail,
  versionIdParams,
  versionList,
} from './schemas.ts';

const TAG = 'configuration';
const notFound = { description: 'No version with this id' };

/** Configuration versions: list, read, draft, import, preview, validate, dry run, backtest, publish, rollback, export. */
export function configRoutes(versions: ConfigVersionsPort): AdminRoute[] {
  async function existing(id: string) {
    const version = await versions.get(id);
    if (!version) throw notFoundError('configuration version', id);
    return version;
  }
  return [
    ...configDraftRoutes(versions),
    defineRoute({
      method: 'get',
      path: '/api/config/versions',
      tag: TAG,
      summary: 'List configuration versions, newest first',
      responses: { 200: { description: 'Versions', schema: versionList } },
      handle: async () => ({ json: { versions: await versions.list() } }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/config/active',
      tag: TAG,
      summary: 'The active version with its files',
      responses: { 200: { description: 'Active version', schema: versionDetail } },
      handle: async () => ({ json: await versions.active() }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/config/versions/:id',
      tag: TAG,
      summary: 'One version with its files and diff; a draft also with its schema validation',
      params: versionIdParams,
      responses: { 200: { description: 'Version', schema: versionDetail }, 404: notFound },
      handle: async ({ params }) => ({ json: withDraftValidation(await existing(params.id)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/config/versions',
      tag: TAG,
      summary: 'Save edited files as a draft (may be invalid)',
      body: createDraftBody,
      authored: true,
      responses: { 201: { description: 'Draft created', schema: versionDetail } },
      handle: async ({ body, author }) => {
        const draft = await versions.createDraft({
          files: body.files,
          author,
          comment: body.comment,
          ...(body.basedOn ? { basedOn: body.basedOn } : {}),
        });
        return { status: 201, json: withDraftValidation(draft) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/config/versions/:id/validate',
      tag: TAG,
      summary: 'Validate a version: schema, and with live=true the HubSpot properties and Salesforce fields',
      params: versionIdParams,
      body: validateBody,
      responses: { 200: { description: 'Validation report', schema: validationReport }, 404: notFound },
      handle: async ({ params, body }) => {
        await existing(params.id);
        return { json: await versions.validate(params.id, { live: body.live }) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/config/versions/:id/dry-run',
      tag: TAG,
      summary: 'Score a contact (by id) or a pasted sample under this version and the active one; writes nothing',
      params: versionIdParams,
      body: dryRunBody,
      responses: { 200: { description: 'Both sides of the comparison', schema: dryRunResult }, 404: notFound },
      handle: async ({ params, body }) => {
        await existing(params.id);
        const input = body.contactId !== undefined ? { contactId: body.contactId } : { sample: body.sample ?? {} };
        return { json: await versions.dryRun(params.id, input) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/config/versions/:id/backtest',
      tag: TAG,
      summary:
        "Replay this version's MQL definition and the active one over every contact evaluated in [from, to) and compare them on what became of those contacts; writes nothing",
      params: versionIdParams,
      body: backtestBody,
      responses: {
        200: {
          description: 'Active against draft: MQL counts, groups, precision and recall per threshold, rule lift, score bands',
          schema: backtestResult,
        },
        400: { description: 'Invalid period, a version whose files do not parse, or a period with too many evaluated contacts' },
        404: notFound,
      },
      handle: async ({ params, body }) => {
        await existing(params.id);
        return { json: await versions.backtest(params.id, body) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/config/versions/:id/publish',
      tag: TAG,
      summary: 'Make a valid version active (the previous one is archived)',
      params: versionIdParams,
      body: emptyObject,
      authored: true,
      responses: {
        200: { description: 'Now active', schema: versionDetail },
        400: { description: 'The version was archived (roll back to it instead)' },
        404: notFound,
        422: { description: 'The version does not pass validation: every problem', schema: invalidVersionError },
      },
      handle: async ({ params, author }) => {
        const version = await existing(params.id);
        if (version.status === 'draft') refuseInvalid(params.id, version.files);
        return { json: await versions.publish(params.id, { author }) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/config/versions/:id/rollback',
      tag: TAG,
      summary: 'Publish a new version with the files of this one',
      params: versionIdParams,
      body: rollbackBody,
      authored: true,
      responses: {
        200: { description: 'The new active version', schema: versionDetail },
        404: notFound,
        422: { description: "The version's files no longer pass validation: every problem", schema: invalidVersionError },
      },
      handle: async ({ params, body, author }) => {
        refuseInvalid(params.id, (await existing(params.id)).files);
        const comment = body.comment || `rollback to ${params.id}`;
        return { json: await versions.rollback(params.id, { author, comment }) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/config/versions/:id/export',
      tag: TAG,
      summary: 'The files of a version in the mappings directory format; ?file=name answers that file as YAML',
      params: versionIdParams,
      query: exportQuery,
      responses: {
        200: { description: 'All files (JSON) or one file (text/yaml)', schema: exportFiles },
        404: { description: 'No such version or file' },
      },
      handle: async ({ params, query }) => {
        await existing(params.id);
        const files = await versions.exportFiles(params.id);
        if (query.file === undefined) return { json: { id: params.id, files } };
        const text = files[query.file];
        if (text === undefined) throw notFoundError(`file in version ${params.id}:`, query.file);
        return { text, contentType: 'text/yaml; charset=utf-8' };
      },
    }),
  ];
}
