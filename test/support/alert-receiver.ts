import express from 'express';
import type { OpsAlert } from '../../src/adapters/alerts/alert-sender.ts';
import { listenOnLoopback } from './http.ts';

/** A generic operations-alert webhook on loopback that keeps what it receives. */
export async function alertReceiver(): Promise<{ url: string; received: OpsAlert[]; close(): Promise<void> }> {
  const received: OpsAlert[] = [];
  const app = express();
  app.use(express.json());
  app.post('/ops', (req, res) => {
    received.push(req.body as OpsAlert);
    res.status(204).end();
  });
  return { ...(await listenOnLoopback(app)), received };
}
