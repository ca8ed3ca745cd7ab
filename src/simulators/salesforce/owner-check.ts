import type { RecordError } from './api-error.ts';
import type { Row } from './validate.ts';

/** What the owner check reads from the org: a row by object and id (15 or 18 characters). */
export type RowLookup = (object: string, id: string) => Row | undefined;

const ID = /^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$/;

const error = (statusCode: string, message: string): RecordError => ({ statusCode, message, fields: ['OwnerId'] });

/** Whether a queue (a Group of Type 'Queue') lists the object among its supported objects (QueueSobject). */
function queueSupports(all: (object: string) => Row[], queueId: string, object: string): boolean {
  return all('QueueSobject').some(
    (row) => String(row.QueueId).slice(0, 15) === queueId.slice(0, 15) && String(row.SobjectType).toLowerCase() === object.toLowerCase(),
  );
}

/**
 * The per-record error an API save with this OwnerId gets, if any:
 * - a user who is inactive: INACTIVE_OWNER_OR_USER, "operation performed with inactive user … as owner of lead"
 *   (the status code Salesforce's help article 000205862 and the API's StatusCode list name for it);
 * - an id of no user or queue: INVALID_CROSS_REFERENCE_KEY, as for any reference to a record that is not there;
 * - a Group that is not a queue for this object, or an id of another object: FIELD_INTEGRITY_EXCEPTION,
 *   "Owner ID: id value of incorrect type";
 * - text that is not an id: MALFORMED_ID.
 * Queues may own only the objects they support, so a queue owner is accepted only where the object allows one.
 */
export function ownerError(
  object: { name: string; ownerTypes: string[] },
  ownerId: unknown,
  get: RowLookup,
  all: (object: string) => Row[],
): RecordError | undefined {
  if (ownerId === undefined) return undefined;
  if (ownerId === null || ownerId === '') {
    return { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [OwnerId]', fields: ['OwnerId'] };
  }
  const id = String(ownerId);
  if (!ID.test(id)) return error('MALFORMED_ID', `Owner ID: id value of incorrect type: ${id}`);
  if (id.startsWith('005')) {
    const user = get('User', id);
    if (!user) return error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (user.IsActive !== true) {
      return error(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${String(user.Id)}] as owner of ${object.name.toLowerCase()}`,
      );
    }
    return undefined;
  }
  if (id.startsWith('00G') && object.ownerTypes.includes('Group')) {
    const group = get('Group', id);
    if (!group) return error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (group.Type === 'Queue' && queueSupports(all, id, object.name)) return undefined;
  }
  return error('FIELD_INTEGRITY_EXCEPTION', `Owner ID: id value of incorrect type: ${id}`);
}
