import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { FlagKind, LeadState } from '../../core/sales/lead-change-types.ts';

export interface NewFlag {
  lead: LeadState;
  kind: FlagKind;
  syncStatus: string;
  task: { subject: string; description: string };
}

export interface ResolvedFlag {
  lead: LeadState;
  taskId: string | null;
  syncStatus: string;
}

/**
 * What the rep sees when a change is held back: the sync-status field on the Lead and a Task for the owner.
 * When the rep fixes it, the Task is completed and the field says it went through. Returns the new Task ids.
 */
export async function writeFlags(
  newFlags: NewFlag[],
  resolved: ResolvedFlag[],
  salesforce: SalesforcePort,
  bundle: MappingsBundle,
  today: string,
): Promise<Map<string, string | null>> {
  const syncField = bundle.fieldMapping.salesforce.fields.syncStatus;
  const taskIds = new Map<string, string | null>();
  if (newFlags.length > 0) {
    const saves = await salesforce.createRecords(
      'Task',
      newFlags.map(({ lead, task }) => ({
        Subject: task.subject,
        Description: task.description,
        WhoId: lead.id,
        ...(lead.ownerId ? { OwnerId: lead.ownerId } : {}),
        Status: 'Not Started',
        Priority: 'High',
        ActivityDate: today,
      })),
    );
    newFlags.forEach((flag, index) => {
      taskIds.set(flag.lead.id, saves[index]?.success ? (saves[index]?.id ?? null) : null);
    });
  }
  const leadUpdates = [
    ...newFlags.map(({ lead, syncStatus }) => ({ lead, syncStatus })),
    ...resolved.map(({ lead, syncStatus }) => ({ lead, syncStatus })),
    // Salesforce refuses any update to a converted Lead; its flag (if any) simply closes.
  ].filter(({ lead, syncStatus }) => !lead.isConverted && lead.fields[syncField] !== syncStatus);
  if (leadUpdates.length > 0)
    await salesforce.updateRecords(
      'Lead',
      leadUpdates.map(({ lead, syncStatus }) => ({ Id: lead.id, [syncField]: syncStatus })),
    );
  const completions = resolved.filter((flag) => flag.taskId).map((flag) => ({ Id: flag.taskId!, Status: 'Completed' }));
  if (completions.length > 0) await salesforce.updateRecords('Task', completions);
  return taskIds;
}
