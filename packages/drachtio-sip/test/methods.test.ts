import { IN_DIALOG_METHODS, SIP_METHODS, isSipMethod } from '../src';

describe('method sets', () => {
  it('every in-dialog method is a SIP method, and neither list repeats one', () => {
    expect(IN_DIALOG_METHODS.filter((m) => !isSipMethod(m))).toEqual([]);
    expect(new Set(SIP_METHODS).size).toBe(SIP_METHODS.length);
    expect(new Set(IN_DIALOG_METHODS).size).toBe(IN_DIALOG_METHODS.length);
  });

  it('ACK, CANCEL, REGISTER and PUBLISH are never sent inside a dialog', () => {
    for (const m of ['ACK', 'CANCEL', 'REGISTER', 'PUBLISH'] as const)
      expect(IN_DIALOG_METHODS).not.toContain(m);
  });

  it('method names are case-sensitive (RFC 3261 7.1)', () => {
    expect(isSipMethod('INVITE')).toBe(true);
    expect(isSipMethod('invite')).toBe(false);
  });
});
