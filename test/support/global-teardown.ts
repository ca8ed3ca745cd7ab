/** Stops the embedded PostgreSQL that global-setup.ts started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { stopTestServer?: () => Promise<void> }).stopTestServer?.();
}
