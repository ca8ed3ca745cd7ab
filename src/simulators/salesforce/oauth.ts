import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { countCall, type SimContext, takeFault } from './context.ts';
import { checkAssertion } from './oauth-jwt.ts';
import { type OAuthRefusal, refuse } from './oauth-refusal.ts';
import { INTEGRATION_USER_ID } from './users.ts';

export const ORG_ID = '00DHs0000000SimAAA';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type Form = Record<string, string | undefined>;
type GrantCheck = (body: Form, context: SimContext) => OAuthRefusal | undefined;

/** The consumer key and secret, as the refresh-token and client-credentials grants send them. */
function checkClient(body: Form, context: SimContext, secretRequired: boolean): OAuthRefusal | undefined {
  const { settings } = context;
  if (body.client_id !== settings.clientId) return refuse('invalid_client_id', 'client identifier invalid');
  if ((secretRequired || body.client_secret !== undefined) && body.client_secret !== settings.clientSecret) {
    return refuse('invalid_client', 'invalid client credentials');
  }
  return undefined;
}

/** "OAuth 2.0 Refresh Token Flow for Renewed Sessions": a revoked or unknown refresh token is invalid_grant. */
const refreshTokenGrant: GrantCheck = (body, context) => {
  const client = checkClient(body, context, false);
  if (client) return client;
  if (body.refresh_token !== context.settings.refreshToken || context.settings.refreshTokenRevoked) {
    return refuse('invalid_grant', 'expired access/refresh token');
  }
  return undefined;
};

/**
 * "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration": consumer key and secret, and the app
 * needs a run-as user (else invalid_grant "no client credentials user enabled").
 */
const clientCredentialsGrant: GrantCheck = (body, context) => {
  const client = checkClient(body, context, true);
  if (client) return client;
  if (!context.settings.clientCredentialsUser) return refuse('invalid_grant', 'no client credentials user enabled');
  if (context.settings.refreshTokenRevoked) return refuse('invalid_grant', 'app access revoked');
  return undefined;
};

/** "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration": the assertion alone identifies app and user. */
const jwtBearerGrant: GrantCheck = (body, context) => {
  const refusal = checkAssertion(body.assertion, context);
  if (refusal) return refusal;
  if (context.settings.refreshTokenRevoked) return refuse('invalid_grant', "user hasn't approved this consumer");
  return undefined;
};

const GRANTS: Record<string, { check: GrantCheck; scope: string }> = {
  refresh_token: { check: refreshTokenGrant, scope: 'api refresh_token' },
  client_credentials: { check: clientCredentialsGrant, scope: 'api' },
  [JWT_BEARER]: { check: jwtBearerGrant, scope: 'api' },
};

/** The token endpoint, answering with the fields Salesforce's returns (no refresh_token for any grant here). */
function postToken(context: SimContext) {
  return (req: Request, res: Response): void => {
    countCall(context, 'token');
    const fault = takeFault(context, 'token');
    if (fault) {
      res.status(fault.status).json({ error: fault.errorCode, error_description: fault.message ?? 'simulated fault' });
      return;
    }
    const body = (req.body ?? {}) as Form;
    const grant = GRANTS[body.grant_type ?? ''];
    const refusal = grant ? grant.check(body, context) : refuse('unsupported_grant_type', 'grant type not supported');
    if (!grant || refusal) {
      res.status(400).json({ error: refusal?.error, error_description: refusal?.description });
      return;
    }
    const token = `${ORG_ID.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    context.tokens.add(token);
    res.json({
      access_token: token,
      signature: randomBytes(32).toString('base64'),
      scope: grant.scope,
      instance_url: context.baseUrl,
      id: `${context.baseUrl}/id/${ORG_ID}/${INTEGRATION_USER_ID}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
    });
  };
}

export function oauthRouter(context: SimContext): express.Router {
  const router = express.Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false }), postToken(context));
  return router;
}
