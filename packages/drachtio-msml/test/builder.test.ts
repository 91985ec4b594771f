import fc from 'fast-check';
import { commands, document, moml, MsmlBuildError, parseMsml, toXml, type MsmlNode } from '../src';

/** The XML of one element, without the declaration line. */
function xml(node: MsmlNode): string {
  return toXml(node).replace(/^<\?xml[^>]*>\n/, '');
}

/** Written, read back and compared: every builder output must survive the parser unchanged. */
function roundTrips(node: MsmlNode): void {
  expect(parseMsml(toXml(document(node))).children[0]).toEqual(node);
}

describe('MOML builder', () => {
  test('play with several audio URIs, iterations, interval and barge-in', () => {
    const node = moml.play({
      audio: [
        'file://welcome.wav',
        { uri: 'http://ms/menu.wav', format: 'audio/wav', iterations: 2 },
      ],
      iterations: 3,
      interval: 500,
      barge: true,
      cleardb: false,
      maxtime: '30s',
      playexit: [
        moml.send({ target: 'source', event: 'app.playDone', namelist: ['play.amt', 'play.end'] }),
      ],
    });
    expect(xml(node)).toBe(
      [
        '<play iterations="3" interval="500ms" barge="true" cleardb="false" maxtime="30s">',
        '  <audio uri="file://welcome.wav"/>',
        '  <audio uri="http://ms/menu.wav" format="audio/wav" iterations="2"/>',
        '  <playexit>',
        '    <send target="source" event="app.playDone" namelist="play.amt play.end"/>',
        '  </playexit>',
        '</play>',
      ].join('\n'),
    );
    roundTrips(node);
  });

  test('play with one prompt as a string and no exit actions', () => {
    expect(xml(moml.play({ audio: 'file://a.wav' }))).toBe(
      '<play>\n  <audio uri="file://a.wav"/>\n</play>',
    );
  });

  test('dtmf with a pattern, fdt/idt/edt timers, noinput, nomatch and dtmfexit', () => {
    const node = moml.dtmf({
      fdt: '10s',
      idt: 3000,
      edt: '2s',
      cleardb: true,
      patterns: [{ digits: 'min=1;max=4;rtk=#', format: 'moml+digits' }],
      noinput: { iterations: 2, actions: [moml.send({ target: 'source', event: 'app.noinput' })] },
      nomatch: { actions: [moml.exit({ namelist: 'dtmf.end' })] },
      exit: [
        moml.send({ target: 'source', event: 'app.dtmfDone', namelist: 'dtmf.digits dtmf.end' }),
      ],
    });
    expect(xml(node)).toBe(
      [
        '<dtmf fdt="10s" idt="3000ms" edt="2s" cleardb="true">',
        '  <pattern digits="min=1;max=4;rtk=#" format="moml+digits"/>',
        '  <noinput iterations="2">',
        '    <send target="source" event="app.noinput"/>',
        '  </noinput>',
        '  <nomatch>',
        '    <exit namelist="dtmf.end"/>',
        '  </nomatch>',
        '  <dtmfexit>',
        '    <send target="source" event="app.dtmfDone" namelist="dtmf.digits dtmf.end"/>',
        '  </dtmfexit>',
        '</dtmf>',
      ].join('\n'),
    );
    roundTrips(node);
  });

  test('collect is the same collector under its own name, with a pattern action', () => {
    const node = moml.collect({
      patterns: [{ digits: '1234', actions: [moml.exit({ namelist: ['collect.digits'] })] }],
      exit: [moml.exit()],
    });
    expect(xml(node)).toBe(
      [
        '<collect>',
        '  <pattern digits="1234">',
        '    <exit namelist="collect.digits"/>',
        '  </pattern>',
        '  <collectexit>',
        '    <exit/>',
        '  </collectexit>',
        '</collect>',
      ].join('\n'),
    );
    roundTrips(node);
  });

  test('record with dest, format, maxtime and beep', () => {
    const node = moml.record({
      dest: 'file://recordings/msg.wav',
      format: 'audio/wav',
      maxtime: '60s',
      beep: true,
      termkey: '#',
      recordexit: [
        moml.send({
          target: 'source',
          event: 'app.recordDone',
          namelist: 'record.recordid record.len',
        }),
      ],
    });
    expect(xml(node)).toBe(
      [
        '<record dest="file://recordings/msg.wav" format="audio/wav" maxtime="60s" beep="true" termkey="#">',
        '  <recordexit>',
        '    <send target="source" event="app.recordDone" namelist="record.recordid record.len"/>',
        '  </recordexit>',
        '</record>',
      ].join('\n'),
    );
    roundTrips(node);
  });

  test('group with a topology keeps its primitives in order', () => {
    const node = moml.group({ topology: 'parallel', id: 'g', groupexit: [moml.exit()] }, [
      moml.play({ audio: 'file://a.wav', id: 'prompt' }),
      moml.dtmf({
        patterns: [{ digits: 'min=1;max=1' }],
        exit: [moml.send({ target: 'prompt', event: 'terminate' })],
      }),
    ]);
    expect(xml(node)).toBe(
      [
        '<group id="g" topology="parallel">',
        '  <play id="prompt">',
        '    <audio uri="file://a.wav"/>',
        '  </play>',
        '  <dtmf>',
        '    <pattern digits="min=1;max=1"/>',
        '    <dtmfexit>',
        '      <send target="prompt" event="terminate"/>',
        '    </dtmfexit>',
        '  </dtmf>',
        '  <groupexit>',
        '    <exit/>',
        '  </groupexit>',
        '</group>',
      ].join('\n'),
    );
    roundTrips(node);
  });

  test('exit and disconnect with and without a namelist', () => {
    expect(xml(moml.exit())).toBe('<exit/>');
    expect(xml(moml.disconnect({ namelist: ['play.end'] }))).toBe(
      '<disconnect namelist="play.end"/>',
    );
  });

  test('a negative duration is refused', () => {
    expect(() => moml.play({ audio: 'file://a.wav', interval: -1 })).toThrow(RangeError);
  });
});

describe('MSML command builder', () => {
  test('document wraps commands in <msml version="1.1"> with an XML declaration', () => {
    expect(toXml(document(commands.dialogend({ id: 'conn:a/dialog:b' })))).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<msml version="1.1">',
        '  <dialogend id="conn:a/dialog:b"/>',
        '</msml>',
      ].join('\n'),
    );
  });

  test('dialogstart carries target, name, the MOML type and its primitives', () => {
    const node = commands.dialogstart({ target: 'conn:1234', name: 'welcome', mark: '1' }, [
      moml.play({ audio: 'file://w.wav' }),
    ]);
    expect(xml(node)).toBe(
      [
        '<dialogstart target="conn:1234" name="welcome" type="application/moml+xml" mark="1">',
        '  <play>',
        '    <audio uri="file://w.wav"/>',
        '  </play>',
        '</dialogstart>',
      ].join('\n'),
    );
    roundTrips(node);
  });

  test('dialogend and send address a dialog by id', () => {
    expect(xml(commands.dialogend({ id: 'conn:1/dialog:d', mark: 'x' }))).toBe(
      '<dialogend id="conn:1/dialog:d" mark="x"/>',
    );
    const node = commands.send({
      target: 'conn:1/dialog:d',
      event: 'terminate',
      namelist: ['a', 'b'],
    });
    expect(xml(node)).toBe('<send target="conn:1/dialog:d" event="terminate" namelist="a b"/>');
    roundTrips(node);
  });

  test('createconference with audiomix (n-loudest, asn) and videolayout', () => {
    const node = commands.createconference({
      name: 'sales',
      deletewhen: 'nomedia',
      term: true,
      audiomix: { id: 'mix', samplerate: 8000, nloudest: 3, asn: { ri: '10s' } },
      videolayout: {
        root: { size: 'CIF' },
        regions: [
          { id: '1', left: 0, top: 0, relativesize: '1/2' },
          { id: '2', left: '50%', top: 0, relativesize: '1/2', priority: 1 },
        ],
      },
    });
    expect(xml(node)).toBe(
      [
        '<createconference name="sales" deletewhen="nomedia" term="true">',
        '  <audiomix id="mix" samplerate="8000">',
        '    <n-loudest n="3"/>',
        '    <asn ri="10s"/>',
        '  </audiomix>',
        '  <videolayout type="text/msml-basic-layout">',
        '    <root size="CIF"/>',
        '    <region id="1" left="0" top="0" relativesize="1/2"/>',
        '    <region id="2" left="50%" top="0" relativesize="1/2" priority="1"/>',
        '  </videolayout>',
        '</createconference>',
      ].join('\n'),
    );
    roundTrips(node);
  });

  test('createconference with no options is an empty element', () => {
    expect(xml(commands.createconference())).toBe('<createconference/>');
  });

  test('modifyconference and destroyconference', () => {
    const modify = commands.modifyconference({ id: 'conf:sales', audiomix: { nloudest: 2 } });
    expect(xml(modify)).toBe(
      [
        '<modifyconference id="conf:sales">',
        '  <audiomix>',
        '    <n-loudest n="2"/>',
        '  </audiomix>',
        '</modifyconference>',
      ].join('\n'),
    );
    roundTrips(modify);
    expect(xml(commands.destroyconference({ id: 'conf:sales' }))).toBe(
      '<destroyconference id="conf:sales"/>',
    );
  });

  test('join with streams, direction and gain; unjoin; modifystream', () => {
    const node = commands.join({
      id1: 'conn:a',
      id2: 'conf:sales',
      streams: [
        { media: 'audio', dir: 'from-id1', gain: -3 },
        { media: 'video', compressed: false },
      ],
    });
    expect(xml(node)).toBe(
      [
        '<join id1="conn:a" id2="conf:sales">',
        '  <stream media="audio" dir="from-id1">',
        '    <gain amt="-3"/>',
        '  </stream>',
        '  <stream media="video" compressed="false"/>',
        '</join>',
      ].join('\n'),
    );
    roundTrips(node);
    expect(xml(commands.unjoin({ id1: 'conn:a', id2: 'conf:sales' }))).toBe(
      '<unjoin id1="conn:a" id2="conf:sales"/>',
    );
    const modify = commands.modifystream({
      id1: 'conn:a',
      id2: 'conf:sales',
      streams: [{ media: 'audio', gain: 6 }],
    });
    expect(xml(modify)).toBe(
      [
        '<modifystream id1="conn:a" id2="conf:sales">',
        '  <stream media="audio">',
        '    <gain amt="6"/>',
        '  </stream>',
        '</modifystream>',
      ].join('\n'),
    );
  });

  test('monitor', () => {
    const node = commands.monitor({ id1: 'conn:supervisor', id2: 'conf:sales', compressed: false });
    expect(xml(node)).toBe('<monitor id1="conn:supervisor" id2="conf:sales" compressed="false"/>');
    roundTrips(node);
  });

  test('result and event, as a media server writes them', () => {
    const res = commands.result({ response: 200, dialogid: 'conn:a/dialog:b' });
    expect(xml(res)).toBe(
      '<result response="200">\n  <dialogid>conn:a/dialog:b</dialogid>\n</result>',
    );
    roundTrips(res);
    const failed = commands.result({
      response: 408,
      mark: '2',
      description: 'missing attribute target',
    });
    expect(xml(failed)).toBe(
      '<result response="408" mark="2">\n  <description>missing attribute target</description>\n</result>',
    );
    const ev = commands.event({
      name: 'app.playDone',
      id: 'conn:a/dialog:b',
      values: [['play.end', 'play.complete']],
    });
    expect(xml(ev)).toBe(
      [
        '<event name="app.playDone" id="conn:a/dialog:b">',
        '  <name>play.end</name>',
        '  <value>play.complete</value>',
        '</event>',
      ].join('\n'),
    );
    roundTrips(ev);
  });
});

describe('escaping', () => {
  test('markup characters in attributes and text are escaped and come back unchanged', () => {
    const node = commands.event({
      name: 'app.x',
      id: 'conn:a"b<c>&d',
      values: [['k', `<tag attr="v">&amp;'</tag>`]],
    });
    const written = xml(node);
    expect(written).toContain('id="conn:a&quot;b&lt;c>&amp;d"');
    expect(written).toContain('<value>&lt;tag attr="v"&gt;&amp;amp;\'&lt;/tag&gt;</value>');
    roundTrips(node);
  });

  test('any printable text survives a round trip (property)', () => {
    // Leading/trailing whitespace is layout in XML, so the property covers trimmed strings.
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((s) => s.trim() === s && s !== '');
    fc.assert(
      fc.property(text, text, (uri, value) => {
        const node = commands.event({ name: 'app.e', id: uri, values: [['v', value]] });
        expect(parseMsml(toXml(document(node))).children[0]).toEqual(node);
      }),
    );
  });

  test('a character XML cannot carry is a typed build error', () => {
    expect(() => toXml(document(moml.play({ audio: 'file://\u0001.wav' })))).toThrow(
      MsmlBuildError,
    );
  });
});
