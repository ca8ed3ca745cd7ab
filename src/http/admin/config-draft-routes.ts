import type { ConfigVersion, ConfigVersionsPort, ValidationReport } from '../../config/versions/config-versions-port.ts';
import { checkSchema } from '../../config/versions/files.ts';
import { HttpError } from '../errors.ts';
import { mqlPreviewBody, mqlPreviewResult } from './preview-schemas.ts';
import { type AdminRoute, defineRoute } from './route.ts';
import { importBody, versionDetail } from './schemas.ts';

const TAG = 'configuration';
export const IMPORTED_COMMENT = 'imported';

/** The schema checks of a version's files: cheap, so a draft carries them and the page can say why Publish is off. */
export function schemaValidation(files: Record<string, string>): ValidationReport {
  const schema = checkSchema(files);
  return { ok: schema.ok, problems: schema.problems };
}

/** A draft with its schema validation; other versions as they are (they were valid when published). */
export function withDraftValidation(version: ConfigVersion): ConfigVersion & { validation?: ValidationReport } {
  return version.status === 'draft' ? { ...version, validation: schemaValidation(version.files) } : version;
}

/** 422 with every problem when files that are to become active do not pass the schema checks. */
export function refuseInvalid(id: string, files: Record<string, string>): void {
  const validation = schemaValidation(files);
  if (validation.ok) return;
  throw new HttpError(422, 'invalid_version', `version ${id} cannot be published: ${validation.problems.length} problem(s) in its files`, {
    problems: validation.problems,
  });
}

/** Drafts that do not start in the editor: a mappings folder from git, and the MQL preview of unsaved files. */
export function configDraftRoutes(versions: ConfigVersionsPort): AdminRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/config/import',
      tag: TAG,
      summary: 'Turn a mappings folder (as kept in git) into a new draft based on the active version',
      body: importBody,
      authored: true,
      responses: {
        201: { description: 'Draft created (it may be invalid: see validation)', schema: versionDetail },
        400: { description: 'A file is missing, unknown or refused' },
      },
      handle: async ({ body, author }) => {
        const draft = await versions.createDraft({ files: body.files, author, comment: body.comment || IMPORTED_COMMENT });
        return { status: 201, json: withDraftValidation(draft) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/config/preview/mql',
      tag: TAG,
      summary:
        "Score pasted contacts and HubSpot contacts (by id) under the given files' MQL definition, as the handoff would; writes nothing",
      body: mqlPreviewBody,
      responses: {
        200: { description: 'One result per contact (pasted first), and the problems of the definition', schema: mqlPreviewResult },
      },
      handle: async ({ body }) => ({ json: await versions.previewMql(body) }),
    }),
  ];
}
