import { PROTOCOL_VERSION, negotiateVersion } from '../src';

describe('negotiateVersion', () => {
  it('picks the highest version both sides support', () => {
    expect(negotiateVersion([1, 2, 3], [1, 2])).toBe(2);
    expect(negotiateVersion([PROTOCOL_VERSION])).toBe(1);
  });

  it('returns undefined when there is no common version', () => {
    expect(negotiateVersion([7, 8])).toBeUndefined();
    expect(negotiateVersion([])).toBeUndefined();
  });
});
