import {
  commands,
  document,
  moml,
  parseEvent,
  parseResult,
  ResponseCode,
  toXml,
  type MsmlEvent,
  type MsmlNode,
} from '../src';
import { MsmlExecutor, type Peer } from '../src/simulator/msml-executor';
import type { SimulatorScript } from '../src/simulator/script';

const SCRIPT: SimulatorScript = {
  playMs: 20,
  digits: ['1234#', '99'],
  digitDelayMs: 10,
  recordMs: 30,
  recordFile: 'rec-0001.wav',
};

/** A peer that records the events the media server sends it. */
class RecordingPeer implements Peer {
  readonly events: MsmlEvent[] = [];
  hungUp = false;
  private waiters: (() => void)[] = [];
  constructor(readonly id: string) {}
  sendEvent(node: MsmlNode): void {
    this.events.push(parseEvent(toXml(node)));
    this.waiters.splice(0).forEach((w) => w());
  }
  hangUp(): void {
    this.hungUp = true;
  }
  /** Resolve once an event with this name has arrived. */
  async next(name: string): Promise<MsmlEvent> {
    for (;;) {
      const found = this.events.find((e) => e.name === name);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

function setup(...ids: string[]): { ms: MsmlExecutor; peers: RecordingPeer[] } {
  const ms = new MsmlExecutor(SCRIPT);
  const peers = ids.map((id) => new RecordingPeer(id));
  peers.forEach((p) => ms.attach(p));
  return { ms, peers };
}

const run = (ms: MsmlExecutor, from: string, ...nodes: MsmlNode[]) =>
  parseResult(toXml(ms.execute(toXml(document(...nodes)), from)));

describe('dialogs', () => {
  test('play reports playDone with play.end/play.amt, then msml.dialog.exit', async () => {
    const { ms, peers } = setup('conn:a');
    const result = run(
      ms,
      'conn:a',
      commands.dialogstart({ target: 'conn:a', name: 'hello' }, [
        moml.play({
          audio: ['file://a.wav', 'file://b.wav'],
          iterations: 2,
          playexit: [
            moml.send({ target: 'source', event: 'app.playDone', namelist: 'play.end play.amt' }),
          ],
        }),
      ]),
    );
    expect(result).toEqual({ response: 200, ok: true, dialogId: 'conn:a/dialog:hello' });
    const done = await peers[0]!.next('app.playDone');
    expect(done.id).toBe('conn:a/dialog:hello');
    expect(done.data).toEqual({ 'play.end': 'play.complete', 'play.amt': '80ms' });
    await peers[0]!.next('msml.dialog.exit');
    expect(peers[0]!.events.map((e) => e.name)).toEqual(['app.playDone', 'msml.dialog.exit']);
    expect(ms.dialogIds).toEqual([]);
  });

  test('collect returns the scripted digits (return key stripped), then noinput once they run out', async () => {
    const { ms, peers } = setup('conn:a');
    const collector = (name: string) =>
      commands.dialogstart({ target: 'conn:a', name }, [
        moml.collect({
          patterns: [{ digits: 'min=1;max=4;rtk=#' }],
          exit: [moml.exit({ namelist: ['collect.digits', 'collect.end', 'collect.len'] })],
        }),
      ]);
    run(ms, 'conn:a', collector('first'));
    const first = await peers[0]!.next('msml.dialog.exit');
    expect(first.data).toEqual({
      'collect.digits': '1234',
      'collect.end': 'collect.match',
      'collect.len': '4',
    });

    peers[0]!.events.length = 0;
    run(ms, 'conn:a', collector('second'));
    expect((await peers[0]!.next('msml.dialog.exit')).data['collect.end']).toBe('collect.match'); // "99"

    peers[0]!.events.length = 0;
    run(ms, 'conn:a', collector('third'));
    expect((await peers[0]!.next('msml.dialog.exit')).data).toEqual({
      'collect.digits': '',
      'collect.end': 'collect.noinput',
      'collect.len': '0',
    });
  });

  test('dtmf runs nomatch actions when the digits do not fit, and noinput actions when there are none', async () => {
    const { ms, peers } = setup('conn:a');
    const start = (name: string) =>
      commands.dialogstart({ target: 'conn:a', name }, [
        moml.dtmf({
          patterns: [{ digits: '5555' }],
          noinput: { actions: [moml.send({ target: 'source', event: 'app.noinput' })] },
          nomatch: {
            actions: [
              moml.send({ target: 'source', event: 'app.nomatch', namelist: 'dtmf.digits' }),
            ],
          },
        }),
      ]);
    run(ms, 'conn:a', start('x'));
    expect((await peers[0]!.next('app.nomatch')).data).toEqual({ 'dtmf.digits': '1234#' });
    run(ms, 'conn:a', start('y')); // "99": nomatch again
    run(ms, 'conn:a', start('z')); // nothing left: noinput
    await peers[0]!.next('app.noinput');
  });

  test('record reports the recording file name and length', async () => {
    const { ms, peers } = setup('conn:a');
    run(
      ms,
      'conn:a',
      commands.dialogstart({ target: 'conn:a', name: 'rec' }, [
        moml.record({
          dest: 'file://rec/',
          beep: true,
          maxtime: '10s',
          recordexit: [moml.exit({ namelist: 'record.recordid record.len record.end' })],
        }),
      ]),
    );
    expect((await peers[0]!.next('msml.dialog.exit')).data).toEqual({
      'record.recordid': 'rec-0001.wav',
      'record.len': '30ms',
      'record.end': 'record.complete',
    });
  });

  test('in a parallel group a send to a primitive id terminates it', async () => {
    const { ms, peers } = setup('conn:a');
    run(
      ms,
      'conn:a',
      commands.dialogstart({ target: 'conn:a', name: 'barge' }, [
        moml.group({ topology: 'parallel' }, [
          moml.play({
            id: 'prompt',
            audio: 'file://long.wav',
            iterations: 'forever',
            playexit: [
              moml.send({ target: 'source', event: 'app.playDone', namelist: 'play.end' }),
            ],
          }),
          moml.dtmf({
            patterns: [{ digits: 'min=1;rtk=#' }],
            exit: [moml.send({ target: 'prompt', event: 'terminate' })],
          }),
        ]),
      ]),
    );
    expect((await peers[0]!.next('app.playDone')).data).toEqual({ 'play.end': 'play.terminated' });
    await peers[0]!.next('msml.dialog.exit');
  });

  test('dialogend stops a running dialog and reports its exit; a second dialogend finds nothing', async () => {
    const { ms, peers } = setup('conn:a');
    run(
      ms,
      'conn:a',
      commands.dialogstart({ target: 'conn:a', name: 'long' }, [
        moml.play({ audio: 'file://a.wav', iterations: 'forever' }),
      ]),
    );
    expect(run(ms, 'conn:a', commands.dialogend({ id: 'conn:a/dialog:long' })).response).toBe(200);
    await peers[0]!.next('msml.dialog.exit');
    expect(run(ms, 'conn:a', commands.dialogend({ id: 'conn:a/dialog:long' })).response).toBe(
      ResponseCode.OBJECT_DOES_NOT_EXIST,
    );
  });

  test('a disconnect action hangs up the connection', async () => {
    const { ms, peers } = setup('conn:a');
    run(
      ms,
      'conn:a',
      commands.dialogstart({ target: 'conn:a' }, [
        moml.play({ audio: 'file://bye.wav', playexit: [moml.disconnect()] }),
      ]),
    );
    await peers[0]!.next('msml.dialog.exit');
    expect(peers[0]!.hungUp).toBe(true);
  });

  test('a connection that goes away takes its dialogs with it, silently', async () => {
    const { ms, peers } = setup('conn:a');
    run(
      ms,
      'conn:a',
      commands.dialogstart({ target: 'conn:a' }, [
        moml.play({ audio: 'file://a.wav', iterations: 'forever' }),
      ]),
    );
    ms.detach('conn:a');
    expect(ms.dialogIds).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(peers[0]!.events).toEqual([]);
  });
});

describe('conferences', () => {
  test('three connections join; the last to leave ends a nomedia conference with msml.conf.nomedia', async () => {
    const { ms, peers } = setup('conn:control', 'conn:1', 'conn:2', 'conn:3');
    expect(
      run(
        ms,
        'conn:control',
        commands.createconference({ name: 'room', audiomix: { nloudest: 3 } }),
      ),
    ).toEqual({
      response: 200,
      ok: true,
      confId: 'conf:room',
    });
    for (const id of ['conn:1', 'conn:2', 'conn:3']) {
      expect(
        run(
          ms,
          'conn:control',
          commands.join({ id1: id, id2: 'conf:room', streams: [{ media: 'audio' }] }),
        ).ok,
      ).toBe(true);
    }
    expect(ms.participants('conf:room')).toEqual(['conn:1', 'conn:2', 'conn:3']);
    run(ms, 'conn:control', commands.unjoin({ id1: 'conn:1', id2: 'conf:room' }));
    ms.detach('conn:2');
    expect(ms.participants('conf:room')).toEqual(['conn:3']);
    run(ms, 'conn:control', commands.unjoin({ id1: 'conn:3', id2: 'conf:room' }));
    expect((await peers[0]!.next('msml.conf.nomedia')).id).toBe('conf:room');
    expect(ms.conferenceIds).toEqual([]);
  });

  test('create twice is 432, modify/destroy an unknown conference is 430', () => {
    const { ms } = setup('conn:c');
    run(ms, 'conn:c', commands.createconference({ name: 'x', deletewhen: 'never' }));
    expect(run(ms, 'conn:c', commands.createconference({ name: 'x' })).response).toBe(
      ResponseCode.OBJECT_ALREADY_EXISTS,
    );
    expect(run(ms, 'conn:c', commands.modifyconference({ id: 'conf:y' })).response).toBe(
      ResponseCode.OBJECT_DOES_NOT_EXIST,
    );
    expect(run(ms, 'conn:c', commands.destroyconference({ id: 'conf:x' })).ok).toBe(true);
    expect(run(ms, 'conn:c', commands.destroyconference({ id: 'conf:x' })).response).toBe(
      ResponseCode.OBJECT_DOES_NOT_EXIST,
    );
  });

  test('modifystream and monitor need both objects', () => {
    const { ms } = setup('conn:c', 'conn:1');
    run(ms, 'conn:c', commands.createconference({ name: 'x', deletewhen: 'never' }));
    expect(run(ms, 'conn:c', commands.monitor({ id1: 'conn:1', id2: 'conf:x' })).ok).toBe(true);
    expect(
      run(
        ms,
        'conn:c',
        commands.modifystream({
          id1: 'conn:1',
          id2: 'conf:x',
          streams: [{ media: 'audio', gain: 3 }],
        }),
      ).ok,
    ).toBe(true);
    expect(
      run(ms, 'conn:c', commands.modifystream({ id1: 'conn:9', id2: 'conf:x' })).response,
    ).toBe(ResponseCode.OBJECT_DOES_NOT_EXIST);
  });
});

describe('invalid MSML gets RFC 5707 4xx results', () => {
  const { ms } = setup('conn:a');
  const raw = (body: string) => parseResult(toXml(ms.execute(body, 'conn:a')));

  test.each<[string, string, number]>([
    ['not XML', 'this is not xml', ResponseCode.BAD_REQUEST],
    ['not MSML', '<foo/>', ResponseCode.BAD_REQUEST],
    ['no command', '<msml version="1.1"/>', ResponseCode.MISSING_ELEMENT_CONTENT],
    ['unknown command', '<msml version="1.1"><dance/></msml>', ResponseCode.UNKNOWN_ELEMENT],
    [
      'unknown MOML element',
      '<msml version="1.1"><dialogstart target="conn:a"><sing/></dialogstart></msml>',
      ResponseCode.UNKNOWN_ELEMENT,
    ],
    [
      'missing attribute',
      '<msml version="1.1"><dialogend/></msml>',
      ResponseCode.MISSING_ATTRIBUTE,
    ],
    [
      'unknown attribute',
      '<msml version="1.1"><dialogend id="x" colour="red"/></msml>',
      ResponseCode.UNKNOWN_ATTRIBUTE,
    ],
    [
      'invalid attribute value',
      '<msml version="1.1"><createconference deletewhen="sometimes"/></msml>',
      ResponseCode.INVALID_ATTRIBUTE_VALUE,
    ],
    [
      'play without audio',
      '<msml version="1.1"><dialogstart target="conn:a"><play/></dialogstart></msml>',
      ResponseCode.MISSING_ELEMENT_CONTENT,
    ],
    [
      'element in the wrong place',
      '<msml version="1.1"><dialogstart target="conn:a"><audio uri="x"/></dialogstart></msml>',
      ResponseCode.FORBIDDEN_ELEMENT_CONTENT,
    ],
    [
      'unknown target',
      '<msml version="1.1"><dialogstart target="conn:zz"><play><audio uri="x"/></play></dialogstart></msml>',
      ResponseCode.OBJECT_DOES_NOT_EXIST,
    ],
  ])('%s', (_label, body, code) => {
    const result = raw(body);
    expect(result.response).toBe(code);
    expect(result.description).toEqual(expect.any(String));
  });

  test('the failing command of several is named by its mark; the ones before it ran', () => {
    const result = run(
      ms,
      'conn:a',
      commands.createconference({ name: 'ok', mark: '1', deletewhen: 'never' }),
      commands.join({ id1: 'conn:nope', id2: 'conf:ok', mark: '2' }),
    );
    expect(result).toEqual(
      expect.objectContaining({ response: ResponseCode.OBJECT_DOES_NOT_EXIST, mark: '2' }),
    );
    expect(ms.conferenceIds).toContain('conf:ok');
  });
});

describe('bounds', () => {
  test('conferences beyond MAX_CONFERENCES are refused, not kept', async () => {
    const { MAX_CONFERENCES } = await import('../src/simulator/msml-executor');
    const { ms } = setup('conn:c');
    for (let i = 0; i < MAX_CONFERENCES; i++)
      run(ms, 'conn:c', commands.createconference({ name: `c${i}`, deletewhen: 'never' }));
    const refused = run(ms, 'conn:c', commands.createconference({ name: 'one-too-many' }));
    expect(refused.response).toBe(ResponseCode.INTERNAL_ERROR);
    expect(ms.conferenceIds).toHaveLength(MAX_CONFERENCES);
  });
});
