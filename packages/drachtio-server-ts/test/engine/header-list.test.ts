import { headerList, HeaderError } from '../../src/user-agent/headers/header-list';

describe('application headers', () => {
  it('spells well-known headers the conventional way and keeps the spelling of custom ones', () => {
    const list = headerList(
      {
        'user-agent': 'busy',
        'content-type': 'application/sdp',
        'X-My-Special-thingy': 'shiny',
        'p-asserted-identity': '<sip:a@b>',
      },
      'new-request',
    );
    expect(list.lines).toEqual([
      'User-Agent: busy',
      'Content-Type: application/sdp',
      'X-My-Special-thingy: shiny',
      'P-Asserted-Identity: <sip:a@b>',
    ]);
    expect(list.values.get('content-type')).toBe('application/sdp');
  });

  it('drops protected headers under any spelling, compact forms included', () => {
    const list = headerList(
      {
        i: 'forged',
        'CALL-ID': 'forged',
        cseq: '9 INVITE',
        From: '<sip:x@y>;tag=1',
        Subject: 'hi',
      },
      'dialog',
    );
    expect(list.dropped).toEqual(['i', 'CALL-ID', 'cseq', 'From']);
    expect(list.lines).toEqual(['Subject: hi']);
  });

  it('lets a new request choose its own From and To', () => {
    expect(headerList({ from: '<sip:alice@a>' }, 'new-request').lines).toEqual([
      'From: <sip:alice@a>',
    ]);
  });

  it('refuses line breaks and invalid names', () => {
    expect(() => headerList({ 'X-Evil': 'a\r\nVia: forged' }, 'new-request')).toThrow(HeaderError);
    expect(() => headerList({ 'bad name': 'x' }, 'new-request')).toThrow(HeaderError);
  });
});
