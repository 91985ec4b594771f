import { Outcome } from '../src/outcome';

describe('Outcome.resolveWith', () => {
  it('computes the value only when someone awaits it', async () => {
    const compute = jest.fn(() => 42);
    const outcome = new Outcome<number>();
    outcome.resolveWith(compute);
    expect(outcome.settled).toBe(true);
    expect(compute).not.toHaveBeenCalled();
    await expect(outcome).resolves.toBe(42);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('resolves a promise created before it settled', async () => {
    const outcome = new Outcome<string>();
    const awaited = outcome.then((value) => value);
    outcome.resolveWith(() => 'sent');
    await expect(awaited).resolves.toBe('sent');
  });

  it('turns a throw from the computation into the rejection', async () => {
    const outcome = new Outcome<string>();
    outcome.resolveWith(() => {
      throw new Error('unparsable');
    });
    await expect(outcome).rejects.toThrow('unparsable');
  });
});
