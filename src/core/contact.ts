/** A HubSpot contact as the core sees it: an id and string-valued properties (HubSpot sends every value as a string). */
export type HubSpotProperties = Record<string, string | null | undefined>;

export interface HubSpotContact {
  id: string;
  properties: HubSpotProperties;
  updatedAt?: string;
}

/** The funnel every mapping speaks in. SAL is optional per company (see the status map). */
export const FUNNEL_STAGES = ['mal', 'mql', 'sal', 'sql', 'opportunity', 'rejected', 'recycled'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
