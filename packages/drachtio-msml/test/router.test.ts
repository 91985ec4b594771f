/**
 * The INFO router on its own: which INFOs it takes, what it answers, where events go.
 * The app, request and response are stand-ins (the end-to-end tests use the real ones).
 */
import { EventEmitter } from 'node:events';
import type { Application, Request, Response } from 'drachtio';
import msml from '../src';

const { commands, document, toXml } = msml;

function setup() {
  // The core's hooks are not run here: dialog notices are the end-to-end tests' business.
  const app = Object.assign(new EventEmitter(), { addHook: () => app }) as unknown as Application;
  const media = msml(app);
  const sent: (number | string)[][] = [];
  const info = (
    body: string,
    contentType = 'application/msml+xml; charset=utf-8',
    method = 'INFO',
    session?: object,
  ) => {
    const req = {
      method,
      body,
      app,
      session,
      dialogId: 'dlg-1',
      getHeader: (name: string) => (name === 'content-type' ? contentType : undefined),
    } as unknown as Request;
    const res = { send: (...args: (number | string)[]) => sent.push(args) } as unknown as Response;
    let passed = false;
    msml.router(req, res, () => (passed = true));
    return passed;
  };
  return { app, media, sent, info };
}

const eventBody = (name: string, id: string, values: [string, string][] = []) =>
  toXml(document(commands.event({ name, id, values })));

test('msml(app) is one instance per app, and msml.router finds it through req.app', () => {
  const { app, media } = setup();
  expect(msml(app)).toBe(media);
});

test('other methods and other content types pass on untouched', () => {
  const { sent, info } = setup();
  expect(info('x', 'application/msml+xml', 'MESSAGE')).toBe(true);
  expect(info('hello', 'text/plain')).toBe(true);
  expect(sent).toEqual([]);
});

test('an MSML INFO that is not an event, or not MSML at all, is answered 400', () => {
  const { sent, info } = setup();
  expect(info('<not-msml/>')).toBe(false);
  expect(info(toXml(document(commands.dialogend({ id: 'x' }))))).toBe(false);
  expect(sent.map((s) => s[0])).toEqual([400, 400]);
});

test('an event for no known object is answered 200 and emitted as msml:event', () => {
  const { app, sent, info } = setup();
  const seen: unknown[] = [];
  app.on('msml:event', (e: unknown) => seen.push(e));
  info(eventBody('app.hello', 'conn:x/dialog:y', [['a', '1']]), undefined, undefined, {
    caller: 'alice',
  });
  expect(sent).toEqual([[200]]);
  expect(seen).toEqual([
    expect.objectContaining({ name: 'hello', data: { a: '1' }, session: { caller: 'alice' } }),
  ]);
});

test('dialog events reach the dialog and the app by short name; msml.dialog.exit is terminate and forgets the dialog', () => {
  const { app, media, info } = setup();
  const dialog = new msml.MediaDialog(
    'conn:x/dialog:y',
    'y',
    'conn:x',
    {} as msml.MediaServerChannel,
  );
  media.registerDialog(dialog);
  const onDialog: string[] = [];
  const onApp: string[] = [];
  dialog.on('playDone', (e: msml.MsmlEventInfo<msml.MediaDialog>) =>
    onDialog.push(`playDone ${e.data['play.end']}`),
  );
  dialog.on('terminate', () => onDialog.push('terminate'));
  app.on('msml:dialog:playDone', (e: msml.MsmlEventInfo<msml.MediaDialog>) =>
    onApp.push(`playDone ${e.target.id}`),
  );
  app.on('msml:dialog:terminate', () => onApp.push('terminate'));
  app.on('msml:event', () => onApp.push('unrouted'));

  info(eventBody('app.playDone', 'conn:x/dialog:y', [['play.end', 'play.complete']]));
  info(eventBody('msml.dialog.exit', 'conn:x/dialog:y'));
  info(eventBody('msml.dialog.exit', 'conn:x/dialog:y'));
  expect(onDialog).toEqual(['playDone play.complete', 'terminate']);
  expect(onApp).toEqual(['playDone conn:x/dialog:y', 'terminate', 'unrouted']);
  expect(dialog.active).toBe(false);
});

test('conference events reach the conference and the app; nomedia ends it', () => {
  const { app, media, info } = setup();
  const conference = new msml.Conference('conf:room', {} as msml.MediaServerChannel);
  media.registerConference(conference);
  const seen: string[] = [];
  conference.on('asn', () => seen.push('asn'));
  app.on('msml:conference:nomedia', (e: msml.MsmlEventInfo<msml.Conference>) =>
    seen.push(`nomedia ${e.target.id}`),
  );
  info(eventBody('msml.conf.asn', 'conf:room', [['speaker', 'conn:a']]));
  info(eventBody('msml.conf.nomedia', 'conf:room'));
  expect(seen).toEqual(['asn', 'nomedia conf:room']);
  expect(conference.active).toBe(false);
});
