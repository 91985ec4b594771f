/**
 * detached() copies what a dialog keeps off the message it was cut from: the copy must be the
 * same text whatever characters the message held (header values are decoded as UTF-8).
 */
import { detached } from '../../src/detached-string';

describe('detached', () => {
  test.each([
    ['ASCII', '"Alice" <sip:alice@example.com>;tag=1928301774'],
    ['Latin-1', '"Zoë Müller" <sip:zoe@example.com>'],
    ['CJK', '"山田太郎" <sip:taro@example.jp>;tag=a6c85cf'],
    ['astral (surrogate pairs)', '"📞 Desk" <sip:desk@example.com>'],
    ['empty', ''],
  ])('keeps %s text as it was', (_kind, text) => {
    const message = `From: ${text}\r\nTo: <sip:bob@example.com>\r\n`;
    const slice = message.slice(6, 6 + text.length);
    expect(detached(slice)).toBe(text);
  });
});
