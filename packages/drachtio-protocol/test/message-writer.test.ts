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
    const frames = new MessageReader().push(writes[0]);
    expect(
      frames.map((f) => (f instanceof Error ? f.message : (f.envelope as { rid: string }).rid)),
    ).toEqual(['1', '2', '3']);
  });

  it('starts a new batch in the next turn', async () => {
    const { socket, writes } = recordingSocket();
    const writer = new MessageWriter(socket);
    writer.write({ envelope: ping('1') });
    await nextTurn();
    writer.write({ envelope: ping('2') });
    await nextTurn();
    expect(writes).toHaveLength(2);
  });
});
