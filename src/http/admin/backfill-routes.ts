import type { BackfillPort, BackfillRunView } from '../../jobs/backfill/backfill-service.ts';
import { HttpError } from '../errors.ts';
import { backfillIdParams, backfillListQuery, backfillRunList, backfillRunView, startBackfillBody } from './backfill-schemas.ts';
import { type AdminRoute, defineRoute, notFoundError } from './route.ts';

function busy(active: BackfillRunView): HttpError {
  return new HttpError(
    409,
    'backfill_running',
    `backfill run ${active.id} (${active.mode}${active.dryRun ? ', dry run' : ''}) is ${active.status}; cancel it or wait for it`,
    {
      activeRunId: active.id,
      status: active.status,
    },
  );
}

/** Backfill and resync runs: start, list, progress, cancel, resume. */
export function backfillRoutes(backfill: BackfillPort): AdminRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/backfill',
      tag: 'backfill',
      authored: true,
      summary: 'Start a backfill (hand off qualifying contacts) or a resync; one run at a time',
      body: startBackfillBody,
      responses: {
        202: { description: 'Queued', schema: backfillRunView },
        409: { description: 'Another run is active (named in details)' },
      },
      handle: async ({ body, author }) => {
        const outcome = await backfill.start({ mode: body.mode, dryRun: body.dryRun, filter: body.filter, requestedBy: author });
        if (!outcome.ok) throw busy(outcome.active);
        return { status: 202, json: outcome.run };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/backfill',
      tag: 'backfill',
      summary: 'Backfill runs, newest first',
      query: backfillListQuery,
      responses: { 200: { description: 'Runs', schema: backfillRunList } },
      handle: async ({ query }) => ({ json: { runs: await backfill.list(query.limit ? Number(query.limit) : 20) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/backfill/:id',
      tag: 'backfill',
      summary: 'A run: counts, rate, ETA (when the total is known) and a sample',
      params: backfillIdParams,
      responses: { 200: { description: 'The run', schema: backfillRunView }, 404: { description: 'No run with this id' } },
      handle: async ({ params }) => {
        const run = await backfill.get(params.id);
        if (!run) throw notFoundError('backfill run', params.id);
        return { json: run };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/backfill/:id/cancel',
      tag: 'backfill',
      authored: true,
      summary: 'Cancel a run: at once when it waits, after the pages in flight when it runs (resumable later)',
      params: backfillIdParams,
      responses: {
        200: { description: 'The run, cancelled or asked to stop', schema: backfillRunView },
        404: { description: 'No run with this id' },
        409: { description: 'The run is already over' },
      },
      handle: async ({ params }) => {
        const outcome = await backfill.cancel(params.id);
        if (!outcome) throw notFoundError('backfill run', params.id);
        if (outcome.kind === 'over')
          throw new HttpError(409, 'backfill_over', `backfill run ${params.id} is already ${outcome.run.status}`);
        return { json: outcome.run };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/backfill/:id/resume',
      tag: 'backfill',
      authored: true,
      summary: 'Resume a cancelled or failed run from its checkpoint (an active run is queued again)',
      params: backfillIdParams,
      responses: {
        202: { description: 'Queued', schema: backfillRunView },
        404: { description: 'No run with this id' },
        409: { description: 'Done already, or another run is active' },
      },
      handle: async ({ params }) => {
        const outcome = await backfill.resume(params.id);
        if (!outcome) throw notFoundError('backfill run', params.id);
        if (outcome.kind === 'conflict') throw busy(outcome.active);
        if (outcome.kind === 'done')
          throw new HttpError(409, 'backfill_over', `backfill run ${params.id} is done; start a new run instead`);
        return { status: 202, json: outcome.run };
      },
    }),
  ];
}
