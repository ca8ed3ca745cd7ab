import { Agent, request } from 'node:http';

export interface PacedRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface PacedLoadOptions {
  url: string;
  requestsPerSecond: number;
  seconds: number;
  /** Concurrent connections at most; a request waiting for one is still timed from its scheduled start. */
  maxSockets: number;
  timeoutMs: number;
  next: () => PacedRequest;
}

export interface PacedLoadResult {
  scheduled: number;
  ok: number;
  /** Answers other than 200, transport errors and timeouts. */
  failed: number;
  /** Per answered-200 request: answer time − scheduled send time (so a sender that falls behind counts against us). */
  latenciesMs: number[];
  /** Per request: actual send − scheduled send. Large values mean the load generator itself fell behind. */
  sendLagMs: number[];
  /** From the first scheduled send to the last answer. */
  durationMs: number;
}

/**
 * An open-loop load: requests start on a fixed schedule whatever the answers take, unlike a closed loop
 * (autocannon), where each connection waits for its answer and the latency measured is connections ÷ throughput.
 * Bounded by count (rate × seconds) and by time (each request's timeout).
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const total = Math.round(options.requestsPerSecond * options.seconds);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const latenciesMs: number[] = [];
  const sendLagMs: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  let lastAnswer = start;
  const pending: Promise<void>[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / options.requestsPerSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      sendLagMs.push(Math.max(0, performance.now() - due));
      pending.push(
        send(agent, options, options.next()).then((status) => {
          lastAnswer = performance.now();
          if (status === 200) {
            ok += 1;
            latenciesMs.push(lastAnswer - due);
          } else failed += 1;
        }),
      );
    }
    await Promise.all(pending);
  } finally {
    agent.destroy();
  }
  return { scheduled: total, ok, failed, latenciesMs, sendLagMs, durationMs: lastAnswer - start };
}

/** Resolves with the status code, or 0 for a transport error or timeout; never rejects. */
function send(agent: Agent, options: PacedLoadOptions, payload: PacedRequest): Promise<number> {
  return new Promise((resolve) => {
    const target = new URL(payload.path, options.url);
    const outgoing = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { ...payload.headers, 'content-length': Buffer.byteLength(payload.body) },
        timeout: options.timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', () => resolve(0));
    outgoing.end(payload.body);
  });
}
