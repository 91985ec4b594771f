import { answerChallenge, computeHA1, parseAuthHeader, serializeCredentials } from 'drachtio-sip';
import drachtio from '../src/index';
import { fakeWire, sipRequest, tick, type FakeWire } from './support/fake-wire';

const REALM = 'dracht.io';

function registrar(
  options?: drachtio.DigestAuthOptions,
  lookup?: drachtio.PasswordLookup,
): FakeWire {
  const wire = fakeWire();
  wire.app.use(
    'register',
    drachtio.digestAuth(REALM, lookup ?? ((_realm, _user, fn) => fn(null, 'foobar')), options),
  );
  wire.app.register((req, res) =>
    res.send(200, { headers: { expires: 1800, 'x-user': req.authorization?.username ?? '' } }),
  );
  return wire;
}

/** Sends an unauthenticated REGISTER and returns the challenge from the 401. */
async function challenge(wire: FakeWire): Promise<ReturnType<typeof parseAuthHeader>> {
  wire.deliver(sipRequest('REGISTER'));
  await tick();
  const header = wire.responseHeaders(wire.statuses().length - 1)['WWW-Authenticate'];
  return parseAuthHeader(String(header), 'www-authenticate');
}

function authorized(
  challengeHeader: ReturnType<typeof parseAuthHeader>,
  password: string,
  nonceCount = 1,
): string {
  const credentials = answerChallenge(challengeHeader, {
    username: 'dhorton',
    password,
    method: 'REGISTER',
    uri: 'sip:1234@127.0.0.1',
    nonceCount,
  });
  return sipRequest('REGISTER', { Authorization: serializeCredentials(credentials) });
}

describe('drachtio.digestAuth', () => {
  it('challenges a request without credentials with 401, qop=auth and the realm', async () => {
    const wire = registrar();
    const c = await challenge(wire);
    expect(wire.statuses()).toEqual([401]);
    expect(c.scheme).toBe('Digest');
    expect(c.params).toMatchObject({ realm: REALM, qop: 'auth' });
    expect(c.params.nonce).toMatch(/^[0-9a-f]{16,}$/);
  });

  it('accepts the right password and passes the request on with req.authorization set', async () => {
    const wire = registrar();
    wire.deliver(authorized(await challenge(wire), 'foobar'));
    await tick();
    expect(wire.statuses()).toEqual([401, 200]);
    expect(wire.responseHeaders(1)).toMatchObject({ expires: 1800, 'x-user': 'dhorton' });
  });

  it('accepts an HA1 from the lookup instead of a password, and a lookup that returns a promise', async () => {
    const wire = registrar(undefined, async (realm, user) => ({
      ha1: computeHA1('MD5', user, realm, 'foobar'),
    }));
    wire.deliver(authorized(await challenge(wire), 'foobar'));
    await tick();
    expect(wire.statuses()).toEqual([401, 200]);
  });

  it('rejects a wrong password and an unknown user with 403', async () => {
    const wire = registrar(undefined, (_realm, user, fn) =>
      fn(null, user === 'dhorton' ? 'foobar' : undefined),
    );
    wire.deliver(authorized(await challenge(wire), 'wrong'));
    await tick();
    const unknown = answerChallenge(await challenge(wire), {
      username: 'mallory',
      password: 'x',
      method: 'REGISTER',
      uri: 'sip:1234@127.0.0.1',
    });
    wire.deliver(sipRequest('REGISTER', { Authorization: serializeCredentials(unknown) }));
    await tick();
    expect(wire.statuses()).toEqual([401, 403, 401, 403]);
  });

  it('refuses a replayed nonce-count with a new challenge, and accepts the next count', async () => {
    const wire = registrar();
    const c = await challenge(wire);
    wire.deliver(authorized(c, 'foobar', 1));
    wire.deliver(authorized(c, 'foobar', 1));
    wire.deliver(authorized(c, 'foobar', 2));
    await tick();
    expect(wire.statuses()).toEqual([401, 200, 401, 200]);
  });

  it('answers an expired nonce with a new challenge marked stale=true', async () => {
    const wire = registrar({ nonceTtl: 60 });
    const c = await challenge(wire);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      wire.deliver(authorized(c, 'foobar'));
      await tick();
    } finally {
      clock.mockRestore();
    }
    expect(wire.statuses()).toEqual([401, 401]);
    expect(String(wire.responseHeaders(1)['WWW-Authenticate'])).toMatch(/stale=true/);
  });

  it('passes a lookup error to error middleware', async () => {
    const wire = registrar(undefined, (_realm, _user, fn) => fn(new Error('user database down')));
    const seen: string[] = [];
    wire.app.use(
      (
        err: unknown,
        _req: drachtio.Request,
        res: drachtio.Response,
        _next: drachtio.NextFunction,
      ) => {
        seen.push((err as Error).message);
        res.send(503);
      },
    );
    wire.deliver(authorized(await challenge(wire), 'foobar'));
    await tick();
    expect(seen).toEqual(['user database down']);
    expect(wire.statuses()).toEqual([401, 503]);
  });

  it('offers SHA-256 (RFC 7616) when asked to', async () => {
    const wire = registrar({ algorithm: 'SHA-256' });
    const c = await challenge(wire);
    expect(c.params.algorithm).toBe('SHA-256');
    wire.deliver(authorized(c, 'foobar'));
    await tick();
    expect(wire.statuses()).toEqual([401, 200]);
  });

  describe('scaled out: several instances of one app', () => {
    /** A Store as drachtio-session's are: string values with a time to live. */
    const sharedStore = () => {
      const values = new Map<string, string>();
      return {
        get: async (id: string) => values.get(id),
        set: async (id: string, value: string) => void values.set(id, value),
      };
    };

    it("an instance accepts the credentials for another instance's challenge (same nonceSecret)", async () => {
      const [one, two] = [
        registrar({ nonceSecret: 'shared' }),
        registrar({ nonceSecret: 'shared' }),
      ];
      two.deliver(authorized(await challenge(one), 'foobar'));
      await tick();
      expect(two.statuses()).toEqual([200]);
    });

    it('a nonce signed with another secret, or tampered with, gets a new challenge', async () => {
      const [one, other] = [
        registrar({ nonceSecret: 'shared' }),
        registrar({ nonceSecret: 'not shared' }),
      ];
      const c = await challenge(one);
      other.deliver(authorized(c, 'foobar'));
      const tampered = {
        ...c,
        params: {
          ...c.params,
          nonce: c.params.nonce.replace(/^./, (d) => (d === '0' ? '1' : '0')),
        },
      };
      one.deliver(authorized(tampered, 'foobar'));
      await tick();
      expect(other.statuses()).toEqual([401]);
      expect(one.statuses()).toEqual([401, 401]);
      expect(String(other.responseHeaders(0)['WWW-Authenticate'])).not.toMatch(/stale/);
    });

    it('with a shared store, a nonce-count replayed to the other instance is refused', async () => {
      const store = sharedStore();
      const [one, two] = [
        registrar({ nonceSecret: 's', store }),
        registrar({ nonceSecret: 's', store }),
      ];
      const c = await challenge(one);
      one.deliver(authorized(c, 'foobar', 1));
      await tick();
      two.deliver(authorized(c, 'foobar', 1));
      await tick();
      two.deliver(authorized(c, 'foobar', 2));
      await tick();
      expect(one.statuses()).toEqual([401, 200]);
      expect(two.statuses()).toEqual([401, 200]);
    });
  });
});
