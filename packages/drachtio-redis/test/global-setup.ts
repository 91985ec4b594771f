// The tests need a Redis on 127.0.0.1:6379; start one for the run when none answers there.
import { ensureRedis } from 'drachtio-test-kit';

export default async function globalSetup(): Promise<void> {
  const stop = await ensureRedis(6379);
  (globalThis as { stopTestRedis?: () => Promise<void> }).stopTestRedis = stop;
}
