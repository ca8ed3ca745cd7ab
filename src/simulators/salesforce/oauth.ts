import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { countCall, takeFault, type SimContext } from './context.ts';
import { INTEGRATION_USER_ID } from './users.ts';

const ORG_ID = '00DHs0000000SimAAA';

/** OAuth 2.0 refresh-token grant, answering with the fields Salesforce's token endpoint returns. */
function postToken(context: SimContext) {
  return (req: Request, res: Response): void => {
    countCall(context, 'token');
    const fault = takeFault(context, 'token');
    if (fault) {
      res.status(fault.status).json({ error: fault.errorCode, error_description: fault.message ?? 'simulated fault' });
      return;
    }
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const { settings } = context;
    if (body.grant_type !== 'refresh_token') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
      return;
    }
    if (body.client_id !== settings.clientId) {
      res.status(400).json({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
      return;
    }
    if (body.client_secret !== undefined && body.client_secret !== settings.clientSecret) {
      res.status(400).json({ error: 'invalid_client', error_description: 'invalid client credentials' });
      return;
    }
    if (body.refresh_token !== settings.refreshToken || settings.refreshTokenRevoked) {
      res.status(400).json({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
      return;
    }
    const token = `${ORG_ID.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    context.tokens.add(token);
    const issuedAt = String(Date.now());
    res.json({
      access_token: token,
      signature: randomBytes(32).toString('base64'),
      scope: 'api refresh_token',
      instance_url: context.baseUrl,
      id: `${context.baseUrl}/id/${ORG_ID}/${INTEGRATION_USER_ID}`,
      token_type: 'Bearer',
      issued_at: issuedAt,
    });
  };
}

export function oauthRouter(context: SimContext): express.Router {
  const router = express.Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false }), postToken(context));
  return router;
}
