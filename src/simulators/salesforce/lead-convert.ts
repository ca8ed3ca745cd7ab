import { notFound, SimApiError } from './api-error.ts';
import { sfDateTime } from './ids.ts';
import { FIRST_OPPORTUNITY_STAGE } from './opportunity-stages.ts';
import type { Store } from './store.ts';
import { REP_USER_ID } from './users.ts';
import type { Row } from './validate.ts';

/**
 * Lead conversion as a rep does it, in one transaction: an Account, a Contact and an Opportunity
 * (named "<Company>-", Salesforce's default) owned by the Lead's owner (the rep, when a queue owns the Lead);
 * the Lead is locked as converted.
 */
export function convertLead(store: Store, id: string, userId: string = REP_USER_ID): Row {
  const lead = store.table('Lead').get(id);
  if (!lead) throw notFound();
  if (lead.IsConverted === true) throw new SimApiError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
  return store.transaction(() => {
    // A queue cannot own what conversion creates: the converting rep takes a queue-owned Lead's records.
    const owner = { OwnerId: typeof lead.OwnerId === 'string' && lead.OwnerId.startsWith('005') ? lead.OwnerId : userId };
    const account = store.insert(store.object('Account'), { ...owner, Name: lead.Company }, userId);
    const contact = store.insert(
      store.object('Contact'),
      {
        ...owner,
        AccountId: account.id,
        FirstName: lead.FirstName ?? null,
        LastName: lead.LastName,
        Email: lead.Email ?? null,
        Title: lead.Title ?? null,
      },
      userId,
    );
    const opportunity = store.insert(
      store.object('Opportunity'),
      {
        ...owner,
        AccountId: account.id,
        Name: `${String(lead.Company)}-`,
        StageName: FIRST_OPPORTUNITY_STAGE,
        CloseDate: sfDateTime(store.nowMs()).slice(0, 10),
      },
      userId,
    );
    store.write(
      store.object('Lead'),
      id,
      {
        IsConverted: true,
        ConvertedAccountId: account.id,
        ConvertedContactId: contact.id,
        ConvertedOpportunityId: opportunity.id,
        ConvertedDate: sfDateTime(store.nowMs()).slice(0, 10),
        Status: 'Closed - Converted',
      },
      userId,
    );
    return store.get('Lead', id) ?? {};
  });
}
