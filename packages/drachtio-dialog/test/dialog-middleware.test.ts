import type { Application, Request, Response } from 'drachtio';
import dialog from '../src';

describe('dialog() middleware', () => {
  it('refuses to run without session() before it, with an error naming the fix', () => {
    const middleware = dialog();
    const errors: unknown[] = [];
    const req = { app: {} as Application, method: 'INVITE', callId: 'c' } as unknown as Request;
    middleware(req, {} as Response, (err) => errors.push(err));
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/drachtio\.session\(\) installed before it/);
  });

  it('rejects a nonsensical bound on tracked dialogs', () => {
    const app = { locals: {}, on: () => app, use: () => app } as unknown as Application;
    expect(() => dialog({ app, maxLiveDialogs: 0 })).toThrow(
      /maxLiveDialogs must be a positive integer/,
    );
  });
});
