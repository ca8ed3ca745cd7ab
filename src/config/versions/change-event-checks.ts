import { PubSubError } from '../../adapters/salesforce/pubsub/failure.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { CHANGE_TOPICS, type FollowedEntity } from '../../core/sales/change-events/change-event-types.ts';
import type { ConfigProblem } from './config-versions-port.ts';
import { followsOpportunities } from './opportunity-checks.ts';

/** What validate --live asks of the Pub/Sub API while SALESFORCE_CDC is on: whether each followed topic exists for us. */
export interface ChangeEventCheckPort {
  getTopic(topicName: string): Promise<unknown>;
}

/** Where a change-event problem is fixed: the environment, not a mappings file. */
const WHERE = { file: 'environment', path: 'SALESFORCE_CDC', source: 'salesforce' as const };

function problemOf(entity: FollowedEntity, error: unknown): ConfigProblem {
  const topic = CHANGE_TOPICS[entity];
  if (error instanceof PubSubError && error.failure.kind === 'topic-unavailable')
    return {
      ...WHERE,
      message:
        `the org offers no change events on ${topic} to the integration user (${error.failure.message}): deploy ` +
        `salesforce-metadata/ (it selects ${entity} for Change Data Capture) or select ${entity} in Setup → Change Data Capture, ` +
        `and give the integration user View All on ${entity} (the Handoff_Integration permission set does); or set SALESFORCE_CDC=off ` +
        'and let the poll carry every change',
    };
  const message = error instanceof Error ? error.message : String(error);
  return { ...WHERE, message: `could not ask the Pub/Sub API for ${topic}: ${message}` };
}

/**
 * With SALESFORCE_CDC=on, every topic the subscriber would follow must answer GetTopic (Pub/Sub API, "GetTopic RPC
 * Method"): an org where Lead is not selected for Change Data Capture, or whose integration user lacks View All,
 * answers NOT_FOUND or PERMISSION_DENIED. The service would fall back to the poll; validate says so before.
 */
export async function changeEventProblems(bundle: MappingsBundle, port: ChangeEventCheckPort): Promise<ConfigProblem[]> {
  const entities: FollowedEntity[] = followsOpportunities(bundle) ? ['Lead', 'Opportunity'] : ['Lead'];
  const answers = await Promise.all(
    entities.map((entity) =>
      port.getTopic(CHANGE_TOPICS[entity]).then(
        () => undefined,
        (error: unknown) => problemOf(entity, error),
      ),
    ),
  );
  return answers.filter((problem): problem is ConfigProblem => problem !== undefined);
}
