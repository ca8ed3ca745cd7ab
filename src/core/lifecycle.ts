/**
 * HubSpot lifecycle stages in their forward order. HubSpot only moves a contact forward through the API;
 * going back needs the value cleared first, so a handoff never tries to set an earlier stage.
 * `other` sits outside the order: any move into or out of it counts as allowed.
 */
export const LIFECYCLE_ORDER = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
] as const;

export function isForwardLifecycleMove(from: string | null | undefined, to: string): boolean {
  if (!from) return true;
  const fromIndex = LIFECYCLE_ORDER.indexOf(from as (typeof LIFECYCLE_ORDER)[number]);
  const toIndex = LIFECYCLE_ORDER.indexOf(to as (typeof LIFECYCLE_ORDER)[number]);
  if (fromIndex < 0 || toIndex < 0) return true;
  return toIndex > fromIndex;
}
