import { type DirectoryOptions, HANDOFF_NOTIFICATION_TYPE, seedId } from './directory.ts';
import { INACTIVE_REP_ID, REP_USER_ID, SALES_MANAGER_ID, SALES_REP_IDS } from './users.ts';

/** The sandbox's Lead queue, by the API name an admin writes in the routing file. */
export const INBOUND_QUEUE = { id: seedId('00G', 1), developerName: 'Inbound_Leads' } as const;

const [SECOND_REP, THIRD_REP, FOURTH_REP] = SALES_REP_IDS;

/**
 * A small sales team for the sandbox org: a manager, four active reps reporting to it, one rep who left (inactive),
 * the Inbound_Leads queue, accounts with websites owned by reps (for routing by the contact's e-mail domain) and the
 * package's notification type. Pass it to startSalesforceSimulator: `{ ...credentials, ...SANDBOX_DIRECTORY }`.
 */
export const SANDBOX_DIRECTORY: Required<Omit<DirectoryOptions, 'assignmentRules'>> = {
  users: [
    { id: SALES_MANAGER_ID, firstName: 'Morgan', lastName: 'Manager', email: 'morgan.manager@sales.example' },
    { id: REP_USER_ID, firstName: 'Riley', lastName: 'Rep', email: 'riley.rep@sales.example', managerId: SALES_MANAGER_ID },
    { id: SECOND_REP, firstName: 'Sam', lastName: 'Seller', email: 'sam.seller@sales.example', managerId: SALES_MANAGER_ID },
    { id: THIRD_REP, firstName: 'Taylor', lastName: 'Trade', email: 'taylor.trade@sales.example', managerId: SALES_MANAGER_ID },
    { id: FOURTH_REP, firstName: 'Jordan', lastName: 'Deal', email: 'jordan.deal@sales.example', managerId: SALES_MANAGER_ID },
    {
      id: INACTIVE_REP_ID,
      firstName: 'Casey',
      lastName: 'Former',
      email: 'casey.former@sales.example',
      isActive: false,
      managerId: SALES_MANAGER_ID,
    },
  ],
  queues: [{ ...INBOUND_QUEUE, name: 'Inbound Leads', email: 'inbound-leads@sales.example' }],
  accounts: [
    { name: 'Acme', website: 'https://www.acme.example', ownerId: REP_USER_ID },
    { name: 'Globex', website: 'globex.example', ownerId: SECOND_REP },
    { name: 'Initech', website: 'http://initech.example/about', ownerId: THIRD_REP },
    { name: 'Umbrella', website: 'https://www.umbrella.example:443/', ownerId: FOURTH_REP },
  ],
  notificationTypes: [HANDOFF_NOTIFICATION_TYPE],
};
