import type { KeyObject } from 'node:crypto';
import jsforce, { type TokenResponse } from 'jsforce';
import { JWT_BEARER_GRANT, jwtAudience, signJwtAssertion } from './jwt-assertion.ts';

/**
 * How Handoff logs in to Salesforce: one of three OAuth 2.0 grants at the token endpoint
 * (`POST {login URL}/services/oauth2/token`). Since Spring '26 new Connected Apps cannot be created, so new
 * orgs use an External Client App with the client credentials or the JWT bearer flow; refresh-token stays
 * for existing Connected Apps. Neither new flow hands out a refresh token: a new access token is asked for
 * with the same grant whenever one is needed.
 */
export type SalesforceAuth =
  /** "OAuth 2.0 Refresh Token Flow for Renewed Sessions". */
  | { flow: 'refresh_token'; clientId: string; clientSecret: string; refreshToken: string }
  /** "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration": login URL must be the org's My Domain. */
  | { flow: 'client_credentials'; clientId: string; clientSecret: string }
  /** "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration": no client secret, a signed assertion instead. */
  | { flow: 'jwt_bearer'; clientId: string; username: string; privateKey: KeyObject };

export type SalesforceAuthFlow = SalesforceAuth['flow'];

/**
 * A function that asks the token endpoint for a fresh access token with the configured grant. Failures are
 * jsforce's token errors (`name` = the OAuth `error`, e.g. invalid_grant), which errors.ts classifies the same
 * way for every flow. The secret, key and assertion stay inside: nothing here logs.
 */
export function tokenRequester(auth: SalesforceAuth, loginUrl: string, now: () => number = Date.now): () => Promise<TokenResponse> {
  switch (auth.flow) {
    case 'refresh_token': {
      const oauth2 = new jsforce.OAuth2({ loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret });
      return () => oauth2.refreshToken(auth.refreshToken);
    }
    case 'client_credentials': {
      // jsforce adds client_id and client_secret to the form for us.
      const oauth2 = new jsforce.OAuth2({ loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret });
      return () => oauth2.requestToken({ grant_type: 'client_credentials' });
    }
    case 'jwt_bearer': {
      // No client id on the OAuth2 object: the flow sends only grant_type and assertion (iss carries the app).
      const oauth2 = new jsforce.OAuth2({ loginUrl });
      const audience = jwtAudience(loginUrl);
      return () => {
        const assertion = signJwtAssertion({
          clientId: auth.clientId,
          username: auth.username,
          audience,
          key: auth.privateKey,
          nowMs: now(),
        });
        return oauth2.requestToken({ grant_type: JWT_BEARER_GRANT, assertion });
      };
    }
  }
}
