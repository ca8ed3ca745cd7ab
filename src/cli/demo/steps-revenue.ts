import { isFollowed } from '../../core/revenue/revenue-schema.ts';
import { firstName } from './contacts.ts';
import { type DemoContext, leadOf, person, seconds } from './context.ts';
import { DemoStepFailed, waitFor } from './wait.ts';

/** The deal the rep wins in the demo. */
const DEMO_AMOUNT = 24_000;

/**
 * Step: the rep converts Tomas's accepted Lead and closes the Opportunity won; the poll follows the deal and HubSpot
 * makes the contact a customer with the amount and close date (revenue.yaml).
 */
export async function repWinsTheDeal(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  const tomas = person(ctx, 'accept');
  const lead = leadOf(ctx, 'accept');
  const { revenue } = ctx.mappings.bundle;
  if (!isFollowed(revenue)) throw new DemoStepFailed('revenue.yaml has the follow-up turned off (enabled: false); the demo needs it');
  narrator.say(`The rep converts ${firstName(tomas.contact)}'s Lead: Salesforce creates an Account, a Contact and an Opportunity.`);
  const converted = await ctx.salesforce.convertLead(lead.Id);
  const opportunityId = converted.ConvertedOpportunityId;
  if (!opportunityId) throw new DemoStepFailed('the converted Lead has no Opportunity');
  narrator.say(`Weeks later in real life, seconds here: the rep closes the Opportunity "Closed Won", amount ${DEMO_AMOUNT}.`);
  await ctx.salesforce.updateOpportunity(opportunityId, { StageName: 'Closed Won', Amount: DEMO_AMOUNT });
  const savedAt = Date.now();
  const won = revenue.won;
  const contact = await narrator.waiting(
    () => 'waiting for the won deal to reach HubSpot',
    waitFor(
      'the contact as a customer in HubSpot',
      async () => {
        const current = await ctx.hubspot.contact(tomas.contactId);
        const p = current.properties;
        return p.lifecyclestage === won.lifecyclestage && Number(p[won.amountProperty]) === DEMO_AMOUNT ? current : undefined;
      },
      ctx.waits.pollMs,
    ),
  );
  const p = contact.properties;
  narrator.ok(
    `HubSpot, ${seconds(Date.now() - savedAt)} after the save: lifecycle stage "${p.lifecyclestage}", ${won.amountProperty} ${p[won.amountProperty]}, ${won.closeDateProperty} ${p[won.closeDateProperty]}`,
  );
  narrator.ok('the audit trail records opportunity_won, and the funnel counts the deal as won');
}
