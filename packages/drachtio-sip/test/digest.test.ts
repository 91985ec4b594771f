import {
  answerChallenge,
  computeDigest,
  computeHA1,
  createChallenge,
  parseMessage,
  pickChallenge,
  serializeChallenge,
  serializeCredentials,
  parseAuthHeader,
  verifyDigest,
} from '../src';
import { corpusMessage } from './helpers';

describe('digest math', () => {
  test('RFC 2617 section 3.5 example (MD5, qop=auth)', () => {
    expect(
      computeDigest({
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };

  test('RFC 7616 section 3.9.1 example, SHA-256 and MD5', () => {
    expect(computeDigest({ ...rfc7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
    expect(computeDigest({ ...rfc7616, algorithm: 'MD5' })).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  test('a stored HA1 gives the same response as the password', () => {
    const ha1 = computeHA1('SHA-256', rfc7616.username, rfc7616.realm, rfc7616.password);
    expect(computeDigest({ ...rfc7616, algorithm: 'SHA-256', password: undefined, ha1 })).toBe(
      computeDigest({ ...rfc7616, algorithm: 'SHA-256' }),
    );
  });

  test('RFC 2069 form without qop, and -sess algorithms differ from the plain ones', () => {
    const base = {
      username: 'u',
      realm: 'r',
      password: 'p',
      method: 'INVITE',
      uri: 'sip:a@b',
      nonce: 'n',
      nc: '00000001',
      cnonce: 'c',
    };
    const plain = computeDigest(base);
    expect(plain).toMatch(/^[0-9a-f]{32}$/);
    expect(computeDigest({ ...base, algorithm: 'MD5-sess', qop: 'auth' })).not.toBe(
      computeDigest({ ...base, algorithm: 'MD5', qop: 'auth' }),
    );
    expect(computeDigest({ ...base, algorithm: 'SHA-256-sess', qop: 'auth' })).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  test.each([
    ['MD5', 'auth'],
    ['MD5', 'auth-int'],
    ['SHA-256', 'auth'],
    ['SHA-256', 'auth-int'],
    ['SHA-256-sess', 'auth'],
    ['SHA-512-256', 'auth-int'],
  ])('a UAC answers a %s %s challenge and the UAS verifies it', (algorithm, qop) => {
    const challenge = parseAuthHeader(
      serializeChallenge(createChallenge({ realm: 'example.com', algorithm, qop, opaque: 'op' })),
      'www-authenticate',
    );
    const body = 'v=0\r\nfake sdp ✓\r\n';
    const credentials = answerChallenge(challenge, {
      username: 'alice',
      password: 's3cret',
      method: 'INVITE',
      uri: 'sip:bob@example.com',
      body,
    });
    const onTheWire = parseAuthHeader(serializeCredentials(credentials), 'authorization');
    expect(onTheWire.params).toMatchObject({
      username: 'alice',
      realm: 'example.com',
      qop,
      nc: '00000001',
      opaque: 'op',
      algorithm,
    });
    expect(verifyDigest(onTheWire, { method: 'INVITE', password: 's3cret', body })).toBe(true);
    expect(verifyDigest(onTheWire, { method: 'INVITE', password: 'wrong', body })).toBe(false);
    expect(verifyDigest(onTheWire, { method: 'BYE', password: 's3cret', body })).toBe(false);
    if (qop === 'auth-int')
      expect(verifyDigest(onTheWire, { method: 'INVITE', password: 's3cret', body: 'other' })).toBe(
        false,
      );
  });

  test('answering the challenges of a real 401: the strongest supported one is picked', () => {
    const challenges = parseMessage(corpusMessage('401-challenge.sip')).get('www-authenticate')!;
    const best = pickChallenge(challenges);
    expect(best?.params.algorithm).toBe('SHA-256');
    const credentials = answerChallenge(best!, {
      username: 'bob',
      password: 'pw',
      method: 'REGISTER',
      uri: 'sip:biloxi.example.com',
      cnonce: 'fixed',
      nonceCount: 2,
    });
    expect(credentials.params).toMatchObject({
      qop: 'auth',
      nc: '00000002',
      cnonce: 'fixed',
      opaque: '',
    });
    expect(verifyDigest(credentials, { method: 'REGISTER', password: 'pw' })).toBe(true);
  });

  test('credentials that cannot be checked are refused rather than thrown on', () => {
    const ok = answerChallenge(createChallenge({ realm: 'r' }), {
      username: 'u',
      password: 'p',
      method: 'INVITE',
      uri: 'sip:x',
    });
    const without = (name: string) => ({
      scheme: 'Digest',
      params: Object.fromEntries(Object.entries(ok.params).filter(([k]) => k !== name)),
    });
    for (const name of ['username', 'realm', 'nonce', 'uri', 'response', 'cnonce'])
      expect(verifyDigest(without(name), { method: 'INVITE', password: 'p' })).toBe(false);
    expect(
      verifyDigest({ scheme: 'Basic', params: ok.params }, { method: 'INVITE', password: 'p' }),
    ).toBe(false);
    expect(
      verifyDigest(
        { scheme: 'Digest', params: { ...ok.params, algorithm: 'SHA-1' } },
        { method: 'INVITE', password: 'p' },
      ),
    ).toBe(false);
    expect(
      verifyDigest(
        { scheme: 'Digest', params: { ...ok.params, qop: 'auth-conf' } },
        { method: 'INVITE', password: 'p' },
      ),
    ).toBe(false);
  });

  test('answerChallenge refuses what it cannot answer', () => {
    expect(() =>
      answerChallenge(
        { scheme: 'Basic', params: { realm: 'r' } },
        { username: 'u', password: 'p', method: 'INVITE', uri: 'sip:x' },
      ),
    ).toThrow(RangeError);
    expect(() =>
      answerChallenge(
        { scheme: 'Digest', params: { realm: 'r', nonce: 'n', qop: 'auth-conf' } },
        { username: 'u', password: 'p', method: 'INVITE', uri: 'sip:x' },
      ),
    ).toThrow(RangeError);
    expect(() =>
      answerChallenge(
        { scheme: 'Digest', params: { realm: 'r', nonce: 'n', algorithm: 'SHA-1' } },
        { username: 'u', password: 'p', method: 'INVITE', uri: 'sip:x' },
      ),
    ).toThrow(RangeError);
  });
});
