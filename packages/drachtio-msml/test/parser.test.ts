import {
  MAX_BODY_BYTES,
  MsmlParseError,
  parseEvent,
  parseMessage,
  parseMsml,
  parseResult,
} from '../src';

/** Bodies in the form RFC 5707 shows them (its examples section), whitespace and all. */
const RFC_DIALOG_RESULT = `<?xml version="1.0" encoding="UTF-8"?>
<msml version="1.1">
   <result response="200">
      <dialogid>conn:hd93tg5hdf/dialog:example</dialogid>
   </result>
</msml>`;

const RFC_CONFERENCE_RESULT = `<?xml version="1.0" encoding="UTF-8"?>
<msml version="1.1">
   <result response="200">
      <confid>conf:example</confid>
   </result>
</msml>`;

const RFC_ERROR_RESULT = `<?xml version="1.0" encoding="UTF-8"?>
<msml version="1.1">
   <result response="430" mark="2">
      <description>Object does not exist: conn:nosuch</description>
   </result>
</msml>`;

const RFC_DTMF_EVENT = `<?xml version="1.0" encoding="UTF-8"?>
<msml version="1.1">
   <event name="app.dtmfDone" id="conn:hd93tg5hdf/dialog:collect">
      <name>dtmf.digits</name>
      <value>1234</value>
      <name>dtmf.end</name>
      <value>dtmf.match</value>
   </event>
</msml>`;

const RFC_DIALOG_EXIT = `<?xml version="1.0" encoding="UTF-8"?>
<msml version="1.1">
   <event name="msml.dialog.exit" id="conn:hd93tg5hdf/dialog:example"/>
</msml>`;

const RFC_DIALOGSTART = `<?xml version="1.0" encoding="UTF-8"?>
<msml version="1.1">
   <dialogstart target="conn:hd93tg5hdf" name="example" type="application/moml+xml">
      <play barge="true">
         <audio uri="file://welcome.wav"/>
         <playexit>
            <send target="source" event="app.playDone" namelist="play.amt play.end"/>
         </playexit>
      </play>
   </dialogstart>
</msml>`;

describe('results', () => {
  test('a successful dialogstart result gives the dialog id', () => {
    expect(parseResult(RFC_DIALOG_RESULT)).toEqual({
      response: 200,
      ok: true,
      dialogId: 'conn:hd93tg5hdf/dialog:example',
    });
  });

  test('a successful createconference result gives the conference id', () => {
    expect(parseResult(Buffer.from(RFC_CONFERENCE_RESULT))).toEqual({
      response: 200,
      ok: true,
      confId: 'conf:example',
    });
  });

  test('an error result gives its code, the failed command mark and the description', () => {
    expect(parseResult(RFC_ERROR_RESULT)).toEqual({
      response: 430,
      ok: false,
      mark: '2',
      description: 'Object does not exist: conn:nosuch',
    });
  });

  test('a result without a three digit response code is refused', () => {
    expect(() => parseResult('<msml version="1.1"><result response="ok"/></msml>')).toThrow(
      expect.objectContaining({ name: 'MsmlParseError', code: 'unexpected' }),
    );
  });

  test('asking for a result in an event body is a typed error', () => {
    expect(() => parseResult(RFC_DTMF_EVENT)).toThrow(
      expect.objectContaining({ code: 'unexpected' }),
    );
  });
});

describe('events', () => {
  test('name/value pairs come in order and by name', () => {
    expect(parseEvent(RFC_DTMF_EVENT)).toEqual({
      name: 'app.dtmfDone',
      id: 'conn:hd93tg5hdf/dialog:collect',
      pairs: [
        ['dtmf.digits', '1234'],
        ['dtmf.end', 'dtmf.match'],
      ],
      data: { 'dtmf.digits': '1234', 'dtmf.end': 'dtmf.match' },
    });
  });

  test('msml.dialog.exit with no values', () => {
    expect(parseEvent(RFC_DIALOG_EXIT)).toEqual({
      name: 'msml.dialog.exit',
      id: 'conn:hd93tg5hdf/dialog:example',
      pairs: [],
      data: {},
    });
  });

  test('a name without a value reads as an empty value; repeated names keep every pair', () => {
    const body =
      '<msml version="1.1"><event name="e" id="i"><name>a</name><name>b</name><value>1</value><name>b</name><value>2</value></event></msml>';
    const event = parseEvent(body);
    expect(event.pairs).toEqual([
      ['a', ''],
      ['b', '1'],
      ['b', '2'],
    ]);
    expect(event.data).toEqual({ a: '', b: '2' });
  });

  test('an event without an id is refused', () => {
    expect(() => parseEvent('<msml version="1.1"><event name="x"/></msml>')).toThrow(
      MsmlParseError,
    );
  });
});

describe('requests', () => {
  test('a dialogstart request is read as commands with its MOML tree', () => {
    const message = parseMessage(RFC_DIALOGSTART);
    expect(message.kind).toBe('request');
    if (message.kind !== 'request') return;
    expect(message.version).toBe('1.1');
    const [start] = message.commands;
    expect(start?.name).toBe('dialogstart');
    expect(start?.attributes).toEqual({
      target: 'conn:hd93tg5hdf',
      name: 'example',
      type: 'application/moml+xml',
    });
    expect(start?.children[0]?.children.map((c) => c.name)).toEqual(['audio', 'playexit']);
  });
});

describe('what is not MSML', () => {
  test.each([
    ['empty', '', 'not-xml'],
    ['plain text', 'hello', 'not-xml'],
    ['unclosed element', '<msml version="1.1"><result response="200">', 'not-xml'],
    ['SDP', 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n', 'not-xml'],
    [
      'another XML language',
      '<?xml version="1.0"?><MediaServerControl version="1.0"/>',
      'not-msml',
    ],
    ['no version', '<msml><result response="200"/></msml>', 'bad-version'],
    ['unknown version', '<msml version="2.0"/>', 'bad-version'],
    ['a DOCTYPE', '<!DOCTYPE msml [<!ENTITY x "y">]><msml version="1.1"/>', 'not-msml'],
  ])('%s is refused with a typed error', (_label, body, code) => {
    expect(() => parseMsml(body)).toThrow(
      expect.objectContaining({ name: 'MsmlParseError', code }),
    );
  });

  test('a body above the size limit is refused before parsing', () => {
    const body = `<msml version="1.1">${' '.repeat(MAX_BODY_BYTES)}</msml>`;
    expect(() => parseMsml(body)).toThrow(expect.objectContaining({ code: 'too-large' }));
  });

  test('nesting and element count are bounded', () => {
    const deep = `<msml version="1.1">${'<group>'.repeat(40)}${'</group>'.repeat(40)}</msml>`;
    expect(() => parseMsml(deep)).toThrow(expect.objectContaining({ code: 'too-complex' }));
    const wide = `<msml version="1.1">${'<exit/>'.repeat(2500)}</msml>`;
    expect(() => parseMsml(wide)).toThrow(expect.objectContaining({ code: 'too-complex' }));
  });
});
