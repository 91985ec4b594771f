import { runSipp, startSipp } from 'drachtio-test-kit';
import drachtio from '../../src/index';
import { expectSippSuccess, scenario } from '../support/scenarios';
import { startTestServer, type TestServer } from '../support/server';

/** The seed's B2BUA snippet: sipp A calls the app, the app pipes a new INVITE to sipp B. */

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

interface Outcome {
  success: number;
  fail: drachtio.StatusLine[];
  legs: number;
}

/** The seed's handler, with the B leg's address in place of 209.251.49.158. */
async function b2buaApp(bLeg: string): Promise<Outcome> {
  const outcome: Outcome = { success: 0, fail: [], legs: 0 };
  await server.connectApp((app) => {
    const siprequest = app.uac;
    app.addHook('onB2bua', () => outcome.legs++);
    app.invite(function (req, res) {
      const b2bua = siprequest(bLeg, {
        headers: {
          'content-type': 'application/sdp',
        },
        body: req.body,
      }).pipe(res);

      b2bua
        .on('fail', function (status) {
          outcome.fail.push(status);
        })
        .on('success', function () {
          outcome.success++;
        });
    });
  });
  return outcome;
}

const callApp = (name: string, values?: Record<string, string | number>) =>
  runSipp({ scenario: scenario(name, values), remote: server.sipHostport, service: 'b2bua' });

describe('seed: B2BUA with pipe(res)', () => {
  it("relays 180 and the 200 with B's SDP to A, emits success, and relays A's BYE to B", async () => {
    const b = await startSipp({ scenario: scenario('uas-invite-answer'), service: 'bob' });
    const outcome = await b2buaApp(b.uri('bob'));
    expectSippSuccess(await callApp('uac-invite-answered'));
    expectSippSuccess(await b.done);
    expect(outcome).toEqual({ success: 1, fail: [], legs: 1 });
  });

  it("relays B's BYE to A", async () => {
    const b = await startSipp({ scenario: scenario('uas-invite-answer-hangup'), service: 'bob' });
    const outcome = await b2buaApp(b.uri('bob'));
    expectSippSuccess(await callApp('uac-invite-answered-wait-bye'));
    expectSippSuccess(await b.done);
    expect(outcome.success).toBe(1);
  });

  it("late offer: B's offer goes to A in the 200, and A's answer goes to B in the ACK", async () => {
    const b = await startSipp({ scenario: scenario('uas-invite-late-offer'), service: 'bob' });
    const outcome = await b2buaApp(b.uri('bob'));
    expectSippSuccess(await callApp('uac-invite-late-offer'));
    expectSippSuccess(await b.done);
    expect(outcome.success).toBe(1);
  });

  it("relays B's failure to A and emits fail with the status line", async () => {
    const b = await startSipp({
      scenario: scenario('uas-invite-reject', { status: 486, reason: 'Busy Here' }),
      service: 'bob',
    });
    const outcome = await b2buaApp(b.uri('bob'));
    expectSippSuccess(
      await callApp('uac-invite-rejected', { status: 486, expect: 'SIP/2.0 486 Busy Here' }),
    );
    expectSippSuccess(await b.done);
    expect(outcome.fail).toEqual([{ phrase: 'Busy Here', status: 486, version: 'SIP/2.0' }]);
    expect(outcome.success).toBe(0);
  });

  it("relays A's CANCEL to B", async () => {
    const b = await startSipp({ scenario: scenario('uas-invite-cancel'), service: 'bob' });
    const outcome = await b2buaApp(b.uri('bob'));
    expectSippSuccess(await callApp('uac-invite-cancel'));
    expectSippSuccess(await b.done);
    expect(outcome.success).toBe(0);
  });
});
