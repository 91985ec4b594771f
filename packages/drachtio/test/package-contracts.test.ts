import { ProtocolError } from 'drachtio-protocol';
import { SIP_METHODS } from 'drachtio-sip';
import { METHODS, ServerError } from '../src/index';

// What drachtio shares with the packages that own it: the method set (drachtio-sip) and the
// coded error base (drachtio-protocol).
describe('shared contracts', () => {
  it("app[verb] covers exactly drachtio-sip's methods", () => {
    expect(METHODS.map((verb) => verb.toUpperCase()).sort()).toEqual([...SIP_METHODS].sort());
  });

  it('ServerError is a ProtocolError carrying the wire code', () => {
    const err = new ServerError('auth-failed', 'bad secret');
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ name: 'ServerError', code: 'auth-failed', message: 'bad secret' });
  });
});
