import { dispatch, type Layer, type NextFunction } from '../src/middleware/stack';

interface Msg {
  method: string;
  trail: string[];
}
type Fn = Layer<Msg, null>['handle'];

function run(
  layers: Array<{ method?: string; handle: Fn }>,
  method = 'INVITE',
): Promise<{ trail: string[]; err: unknown }> {
  const req: Msg = { method, trail: [] };
  return new Promise((resolve) =>
    dispatch(layers, req, null, (err) => resolve({ trail: req.trail, err })),
  );
}

const step =
  (name: string) =>
  (req: Msg, _res: null, next: NextFunction): void => {
    req.trail.push(name);
    next();
  };

describe('dispatch (the middleware stack walker)', () => {
  it('runs layers in registration order and then calls done without an error', async () => {
    const { trail, err } = await run([
      { handle: step('a') },
      { handle: step('b') },
      { handle: step('c') },
    ]);
    expect(trail).toEqual(['a', 'b', 'c']);
    expect(err).toBeUndefined();
  });

  it('runs a method-bound layer only for that method', async () => {
    const layers = [
      { handle: step('all') },
      { method: 'REGISTER', handle: step('register') },
      { method: 'INVITE', handle: step('invite') },
    ];
    expect((await run(layers, 'INVITE')).trail).toEqual(['all', 'invite']);
    expect((await run(layers, 'REGISTER')).trail).toEqual(['all', 'register']);
  });

  it('stops when a layer does not call next', async () => {
    const req: Msg = { method: 'INVITE', trail: [] };
    const done = jest.fn();
    dispatch(
      [
        { handle: step('a') },
        { handle: (r: Msg) => void r.trail.push('answer') },
        { handle: step('never') },
      ],
      req,
      null,
      done,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(req.trail).toEqual(['a', 'answer']);
    expect(done).not.toHaveBeenCalled();
  });

  it('skips error middleware while there is no error', async () => {
    const onError = (_err: unknown, req: Msg, _res: null, next: NextFunction): void => {
      req.trail.push('error-handler');
      next();
    };
    expect(
      (await run([{ handle: step('a') }, { handle: onError }, { handle: step('b') }])).trail,
    ).toEqual(['a', 'b']);
  });

  it('next(err) skips ordinary middleware up to the next error middleware, which can recover', async () => {
    const boom = new Error('boom');
    const seen: unknown[] = [];
    const { trail, err } = await run([
      {
        handle: (req: Msg, _res: null, next: NextFunction) => (req.trail.push('fails'), next(boom)),
      },
      { handle: step('skipped') },
      {
        handle: (e: unknown, req: Msg, _res: null, next: NextFunction) => (
          seen.push(e),
          req.trail.push('handler'),
          next()
        ),
      },
      { handle: step('after-recovery') },
    ]);
    expect(seen).toEqual([boom]);
    expect(trail).toEqual(['fails', 'handler', 'after-recovery']);
    expect(err).toBeUndefined();
  });

  it('a thrown error and a rejected promise both travel to error middleware', async () => {
    const caught: string[] = [];
    const recorder = (e: unknown, _req: Msg, _res: null, next: NextFunction): void => {
      caught.push((e as Error).message);
      next();
    };
    await run([
      {
        handle: () => {
          throw new Error('thrown');
        },
      },
      { handle: recorder },
      { handle: async () => Promise.reject(new Error('rejected')) },
      { handle: recorder },
    ]);
    expect(caught).toEqual(['thrown', 'rejected']);
  });

  it('an unhandled error reaches done; an error middleware may pass it on', async () => {
    const boom = new Error('unhandled');
    const { trail, err } = await run([
      { handle: (_req: Msg, _res: null, next: NextFunction) => next(boom) },
      {
        handle: (e: unknown, req: Msg, _res: null, next: NextFunction) => (
          req.trail.push('logged'),
          next(e)
        ),
      },
    ]);
    expect(trail).toEqual(['logged']);
    expect(err).toBe(boom);
  });
});
