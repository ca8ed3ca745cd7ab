import { readFileSync } from 'node:fs';
import type { SalesforceAuth } from '../adapters/salesforce/auth.ts';
import { parsePrivateKey } from '../adapters/salesforce/jwt-assertion.ts';

/** The environment variables the Salesforce login reads (a slice of the service's env schema). */
export interface SalesforceAuthVars {
  SALESFORCE_LOGIN_URL: string;
  SALESFORCE_INSTANCE_URL?: string | undefined;
  SALESFORCE_CLIENT_ID?: string | undefined;
  SALESFORCE_CLIENT_SECRET?: string | undefined;
  SALESFORCE_REFRESH_TOKEN?: string | undefined;
  SALESFORCE_USERNAME?: string | undefined;
  SALESFORCE_JWT_PRIVATE_KEY?: string | undefined;
  SALESFORCE_JWT_PRIVATE_KEY_FILE?: string | undefined;
}

/** Any of these set means Salesforce credentials were meant to be given (live mode). */
export const SALESFORCE_AUTH_KEYS = [
  'SALESFORCE_INSTANCE_URL',
  'SALESFORCE_CLIENT_ID',
  'SALESFORCE_CLIENT_SECRET',
  'SALESFORCE_REFRESH_TOKEN',
  'SALESFORCE_USERNAME',
  'SALESFORCE_JWT_PRIVATE_KEY',
  'SALESFORCE_JWT_PRIVATE_KEY_FILE',
] as const;

const JWT_KEYS = ['SALESFORCE_USERNAME', 'SALESFORCE_JWT_PRIVATE_KEY', 'SALESFORCE_JWT_PRIVATE_KEY_FILE'] as const;

/** Which variables each flow needs: part of every Salesforce credential problem, so the fix is in the message. */
const SALESFORCE_FLOWS_HELP =
  'Salesforce login needs the variables of exactly one flow: refresh token (SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, ' +
  'SALESFORCE_REFRESH_TOKEN, SALESFORCE_INSTANCE_URL); client credentials (SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, ' +
  "SALESFORCE_LOGIN_URL = the org's My Domain URL); JWT bearer (SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME, " +
  'SALESFORCE_JWT_PRIVATE_KEY or SALESFORCE_JWT_PRIVATE_KEY_FILE)';

export type SalesforceAuthResult = { auth: SalesforceAuth; problems: [] } | { auth?: undefined; problems: string[] };

const isSet = (vars: SalesforceAuthVars, key: keyof SalesforceAuthVars): boolean => vars[key] !== undefined;
const required = (vars: SalesforceAuthVars, keys: (keyof SalesforceAuthVars)[], flow: string): string[] =>
  keys.filter((key) => !isSet(vars, key)).map((key) => `${key}: required by the ${flow} flow`);

/**
 * "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration": the token request must go to the org's
 * My Domain; login.salesforce.com and test.salesforce.com refuse it.
 */
function myDomainProblem(loginUrl: string): string[] {
  const host = new URL(loginUrl).hostname.toLowerCase();
  if (host !== 'login.salesforce.com' && host !== 'test.salesforce.com') return [];
  return [
    `SALESFORCE_LOGIN_URL: the client credentials flow needs the org's My Domain URL (https://MyDomainName.my.salesforce.com), not ${host}; ` +
      'for the refresh-token flow set SALESFORCE_REFRESH_TOKEN instead',
  ];
}

function readKey(vars: SalesforceAuthVars): { pem?: string; problems: string[] } {
  if (isSet(vars, 'SALESFORCE_JWT_PRIVATE_KEY') && isSet(vars, 'SALESFORCE_JWT_PRIVATE_KEY_FILE')) {
    return { problems: ['SALESFORCE_JWT_PRIVATE_KEY, SALESFORCE_JWT_PRIVATE_KEY_FILE: set one of them, not both'] };
  }
  if (vars.SALESFORCE_JWT_PRIVATE_KEY !== undefined) return { pem: vars.SALESFORCE_JWT_PRIVATE_KEY, problems: [] };
  const file = vars.SALESFORCE_JWT_PRIVATE_KEY_FILE;
  if (file === undefined)
    return { problems: ['SALESFORCE_JWT_PRIVATE_KEY or SALESFORCE_JWT_PRIVATE_KEY_FILE: required by the JWT bearer flow'] };
  try {
    return { pem: readFileSync(file, 'utf8'), problems: [] };
  } catch (error) {
    return {
      problems: [`SALESFORCE_JWT_PRIVATE_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`],
    };
  }
}

function jwtBearer(vars: SalesforceAuthVars): SalesforceAuthResult {
  const problems = required(vars, ['SALESFORCE_CLIENT_ID', 'SALESFORCE_USERNAME'], 'JWT bearer');
  if (isSet(vars, 'SALESFORCE_CLIENT_SECRET'))
    problems.push(
      'SALESFORCE_CLIENT_SECRET: not used by the JWT bearer flow; remove it or the JWT variables (SALESFORCE_USERNAME, SALESFORCE_JWT_PRIVATE_KEY…)',
    );
  const { pem, problems: keyProblems } = readKey(vars);
  problems.push(...keyProblems);
  const parsed = pem === undefined ? undefined : parsePrivateKey(pem);
  const keyName = isSet(vars, 'SALESFORCE_JWT_PRIVATE_KEY') ? 'SALESFORCE_JWT_PRIVATE_KEY' : 'SALESFORCE_JWT_PRIVATE_KEY_FILE';
  if (parsed && 'problem' in parsed) problems.push(`${keyName}: ${parsed.problem}`);
  if (problems.length > 0 || !parsed || !('key' in parsed)) return { problems };
  return {
    auth: { flow: 'jwt_bearer', clientId: vars.SALESFORCE_CLIENT_ID!, username: vars.SALESFORCE_USERNAME!, privateKey: parsed.key },
    problems: [],
  };
}

/**
 * The Salesforce login the variables choose, or every problem with them at once. The flow follows from which
 * variables are set: a refresh token means refresh token; a username or private key means JWT bearer; client
 * id and secret alone mean client credentials. Variables of two flows together are refused, never guessed.
 * No Salesforce variable at all is not a problem here (sandbox mode, or HubSpot's rules report it).
 */
export function salesforceAuthFromEnv(vars: SalesforceAuthVars): SalesforceAuthResult {
  const refresh = isSet(vars, 'SALESFORCE_REFRESH_TOKEN');
  const jwt = JWT_KEYS.some((key) => isSet(vars, key));
  if (refresh && jwt) {
    const jwtGiven = JWT_KEYS.filter((key) => isSet(vars, key)).join(', ');
    return {
      problems: [
        `SALESFORCE_REFRESH_TOKEN, ${jwtGiven}: variables of two flows (refresh token and JWT bearer) are set; keep one. ${SALESFORCE_FLOWS_HELP}`,
      ],
    };
  }
  if (jwt) return jwtBearer(vars);
  if (refresh) {
    const problems = required(vars, ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_INSTANCE_URL'], 'refresh-token');
    if (problems.length > 0) return { problems };
    return {
      auth: {
        flow: 'refresh_token',
        clientId: vars.SALESFORCE_CLIENT_ID!,
        clientSecret: vars.SALESFORCE_CLIENT_SECRET!,
        refreshToken: vars.SALESFORCE_REFRESH_TOKEN!,
      },
      problems: [],
    };
  }
  if (!isSet(vars, 'SALESFORCE_CLIENT_ID') && !isSet(vars, 'SALESFORCE_CLIENT_SECRET')) {
    return { problems: [`SALESFORCE_CLIENT_ID: required. ${SALESFORCE_FLOWS_HELP}`] };
  }
  const problems = [
    ...required(vars, ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET'], 'client credentials'),
    ...myDomainProblem(vars.SALESFORCE_LOGIN_URL),
  ];
  if (problems.length > 0) return { problems };
  return {
    auth: { flow: 'client_credentials', clientId: vars.SALESFORCE_CLIENT_ID!, clientSecret: vars.SALESFORCE_CLIENT_SECRET! },
    problems: [],
  };
}

/** Where and how the live service logs in: the adapter options the variables give (parseEnv has checked them). */
export function liveSalesforceLogin(vars: SalesforceAuthVars): { loginUrl: string; instanceUrl?: string; auth: SalesforceAuth } {
  const { auth, problems } = salesforceAuthFromEnv(vars);
  if (!auth) throw new Error(`Salesforce credentials are incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    loginUrl: vars.SALESFORCE_LOGIN_URL,
    ...(vars.SALESFORCE_INSTANCE_URL ? { instanceUrl: vars.SALESFORCE_INSTANCE_URL } : {}),
    auth,
  };
}
