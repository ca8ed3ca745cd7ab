import { SALESFORCE_AUTH_KEYS, type SalesforceAuthVars, salesforceAuthFromEnv } from './salesforce-auth-env.ts';

/** HANDOFF_MODE: `auto` decides by the credentials set; `live` and `sandbox` say it outright. */
export const HANDOFF_MODES = ['auto', 'live', 'sandbox'] as const;
export type HandoffMode = (typeof HANDOFF_MODES)[number];

/** The variables the run mode depends on (a slice of the service's env schema). */
export interface RunModeVars extends SalesforceAuthVars {
  HANDOFF_MODE: HandoffMode;
  NODE_ENV?: string | undefined;
  PUBLIC_BASE_URL?: string | undefined;
  HUBSPOT_ACCESS_TOKEN?: string | undefined;
  HUBSPOT_CLIENT_SECRET?: string | undefined;
}

export type RunMode = { kind: 'live'; reason: string } | { kind: 'sandbox'; reason: string };

const HUBSPOT_KEYS = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_CLIENT_SECRET'] as const;
const PROVIDER_KEYS = [...HUBSPOT_KEYS, ...SALESFORCE_AUTH_KEYS] as const;

const credentialsSet = (vars: RunModeVars): string[] => PROVIDER_KEYS.filter((key) => vars[key] !== undefined);

/**
 * Live when HANDOFF_MODE=live, when any provider credential is set, or under NODE_ENV=production (a production
 * deployment that lost its credentials must not start on the simulators and answer HubSpot as if all were well);
 * sandbox when HANDOFF_MODE=sandbox or, outside production, when no credential is set.
 */
export function runModeOf(vars: RunModeVars): RunMode {
  if (vars.HANDOFF_MODE === 'sandbox') return { kind: 'sandbox', reason: 'HANDOFF_MODE=sandbox' };
  if (vars.HANDOFF_MODE === 'live') return { kind: 'live', reason: 'HANDOFF_MODE=live' };
  if (credentialsSet(vars).length > 0) return { kind: 'live', reason: 'provider credentials are set' };
  if (vars.NODE_ENV === 'production') return { kind: 'live', reason: 'NODE_ENV=production' };
  return { kind: 'sandbox', reason: 'no HubSpot or Salesforce credentials in the environment' };
}

/** Why a variable is required, by what made the mode live. */
function requiredBecause(vars: RunModeVars): string {
  if (vars.HANDOFF_MODE === 'live') return 'required in live mode (HANDOFF_MODE=live)';
  if (credentialsSet(vars).length > 0) return 'required when any provider credential is set (live mode)';
  return 'required in live mode (NODE_ENV=production never falls back to sandbox mode; HANDOFF_MODE=sandbox runs the built-in simulators)';
}

/** Every problem with the mode the variables choose, at once: a missing credential in live mode, any in sandbox mode. */
export function runModeProblems(vars: RunModeVars): string[] {
  const mode = runModeOf(vars);
  if (mode.kind === 'sandbox') {
    const given = credentialsSet(vars);
    if (vars.HANDOFF_MODE !== 'sandbox' || given.length === 0) return [];
    return [
      `${given.join(', ')}: set, but HANDOFF_MODE=sandbox runs on the built-in simulators and would ignore them; unset them, or set HANDOFF_MODE=live`,
    ];
  }
  const because = requiredBecause(vars);
  return [
    ...HUBSPOT_KEYS.filter((key) => vars[key] === undefined).map((key) => `${key}: ${because}`),
    ...salesforceAuthFromEnv(vars).problems,
    ...(vars.PUBLIC_BASE_URL === undefined ? ['PUBLIC_BASE_URL: required in live mode (HubSpot signs requests against it)'] : []),
  ];
}
