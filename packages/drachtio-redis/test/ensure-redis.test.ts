/** The test command's guarantee: a Redis answers on the port, started only when none did. */
import { ensureRedis, freePort, redisCommand } from 'drachtio-test-kit';

describe('ensureRedis', () => {
  it('starts a server when none answers, and leaves a running one alone', async () => {
    const port = await freePort('tcp');
    const stop = await ensureRedis(port);
    expect(stop).toBeInstanceOf(Function);
    try {
      expect(await redisCommand(port, 'PING')).toBe('+PONG\r\n');
      expect(await ensureRedis(port)).toBeUndefined();
    } finally {
      await stop!();
    }
    await expect(redisCommand(port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
  });
});
