import { PROTOCOL_VERSION, PROXY_VERSION, SUPPORTED_VERSIONS, negotiateVersion } from '../src';

describe('negotiateVersion', () => {
  it('picks the highest version both sides support', () => {
    expect(negotiateVersion([1, 2, 3], [1, 2])).toBe(2);
    expect(negotiateVersion([PROTOCOL_VERSION])).toBe(2);
  });

  it('a version-1 client still gets version 1 (version 2 only adds proxy)', () => {
    expect(SUPPORTED_VERSIONS).toEqual([1, 2]);
    expect(negotiateVersion([1])).toBe(1);
    expect(negotiateVersion([1, 2])).toBe(PROXY_VERSION);
  });

  it('returns undefined when there is no common version', () => {
    expect(negotiateVersion([7, 8])).toBeUndefined();
    expect(negotiateVersion([])).toBeUndefined();
  });
});
