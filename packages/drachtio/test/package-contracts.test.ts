import { ProtocolError } from 'drachtio-protocol';
import { SIP_METHODS } from 'drachtio-sip';
import drachtio, { ServerError } from '../src/index';

// What drachtio shares with the packages that own it: the method set (drachtio-sip) and the
// coded error base (drachtio-protocol).
describe('shared contracts', () => {
  it('every method drachtio-sip knows is an app[verb] route and an app.uac[verb] sender', () => {
    const app = drachtio();
    for (const method of SIP_METHODS) {
      const verb = method.toLowerCase() as Lowercase<typeof method>;
      expect(typeof app[verb]).toBe('function');
      expect(typeof app.uac[verb]).toBe('function');
    }
  });

  it('ServerError is a ProtocolError carrying the wire code', () => {
    const err = new ServerError('auth-failed', 'bad secret');
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ name: 'ServerError', code: 'auth-failed', message: 'bad secret' });
  });
});
