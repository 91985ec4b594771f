import { join } from 'node:path';
import { runSipp } from 'drachtio-test-kit';
import { startTestServer, type TestServer } from '../support/server';

const scenario = (name: string): string => join(__dirname, '..', 'scenarios', `${name}.xml`);

describe('seed: receiving sip requests (real server, sipp far end)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('quick start: app.invite answers 486 with a custom User-Agent', async () => {
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        res.send(486, {
          headers: {
            'user-agent': "Drachtio rocksz - but he's busy right now!",
          },
        });
      });
    });
    const result = await runSipp({ scenario: scenario('uac-invite-expect-486'), remote: server.sipHostport, service: 'busy' });
    expect(result.errors).toBe('');
    expect(result.successfulCalls).toBe(1);
  });
});
