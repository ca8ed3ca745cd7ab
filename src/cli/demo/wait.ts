/** A step of the demo did not happen (in time, or as it should): the demo stops and exits non-zero. */
export class DemoStepFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoStepFailed';
  }
}

const POLL_MS = 100;

/**
 * Asks `check` every 100 ms until it returns a value (not undefined), and fails after `timeoutMs` naming
 * what was awaited and the last error seen (other errors, e.g. a refused connection, are retried). Every wait of the demo is bounded, so it doubles as a smoke test.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      // A DemoStepFailed from the check is definite (e.g. the service exited): no point waiting on.
      if (error instanceof DemoStepFailed) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new DemoStepFailed(`timed out after ${Math.round(timeoutMs / 100) / 10} s waiting for ${what}${cause}`);
}

/** A check that must hold now; its message says what the demo expected and what it saw. */
export function expectThat(condition: boolean, message: string): void {
  if (!condition) throw new DemoStepFailed(message);
}
