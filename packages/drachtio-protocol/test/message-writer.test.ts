import { Writable } from 'node:stream';
import { MessageReader, MessageWriter, type Envelope } from '../src';

const ping = (rid: string): Envelope => ({ type: 'request', rid, command: 'ping', data: {} });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A socket stand-in that records each write it is handed: one entry per system call a net.Socket would make. */
function recordingSocket() {
  const writes: Buffer[] = [];
  const socket = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk);
      callback();
    },
    writev(chunks, callback) {
      writes.push(Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer)));
      callback();
    },
  });
  return { socket, writes };
}

describe('MessageWriter', () => {
  it('hands the frames of one event-loop turn to the socket as one write, in order', async () => {
    const { socket, writes } = recordingSocket();
    const writer = new MessageWriter(socket);

    writer.write({ envelope: ping('1') });
    writer.write({ envelope: ping('2'), sip: 'OPTIONS sip:a@b SIP/2.0\r\n\r\n' });
    writer.write({ envelope: ping('3') });
    expect(writes).toHaveLength(0);
    await nextTurn();

    expect(writes).toHaveLength(1);
    expect(ridsOf(writes[0])).toEqual(['1', '2', '3']);
  });

  describe('with the clock in the hands of the test', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('a connection that wrote less than a millisecond ago waits out the rest of it, taking later turns along', () => {
      const { socket, writes } = recordingSocket();
      const writer = new MessageWriter(socket);
      writer.write({ envelope: ping('1') });
      jest.advanceTimersByTime(0); // the end of the turn
      expect(writes).toHaveLength(1);
      writer.write({ envelope: ping('2') });
      jest.advanceTimersByTime(0);
      writer.write({ envelope: ping('3') });
      expect(writes).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(writes).toHaveLength(2);
      expect(ridsOf(writes[1])).toEqual(['2', '3']);
    });

    it('after a quiet millisecond a frame goes at the end of its turn', () => {
      const { socket, writes } = recordingSocket();
      const writer = new MessageWriter(socket);
      writer.write({ envelope: ping('1') });
      jest.advanceTimersByTime(5);
      writer.write({ envelope: ping('2') });
      jest.advanceTimersByTime(0);
      expect(writes).toHaveLength(2);
    });
  });
});

function ridsOf(write: Buffer): string[] {
  return new MessageReader()
    .push(write)
    .map((f) => (f instanceof Error ? f.message : (f.envelope as { rid: string }).rid));
}
