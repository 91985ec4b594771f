/** Dialog as plain data: what a request in the dialog needs survives a JSON round trip. */
import { Dialog } from '../../src/user-agent/dialog/dialog';

test('toJSON() and Dialog.from() keep identity, route set, target, CSeqs, state and RSeq numbers', () => {
  const dialog = new Dialog({
    role: 'uac',
    callId: 'call@host',
    localTag: 'ours',
    remoteTag: 'theirs',
    localUri: '<sip:a@host>;tag=ours',
    remoteUri: '<sip:b@host>;tag=theirs',
    remoteTarget: 'sip:b@10.0.0.2',
    routeSet: ['<sip:proxy@10.0.0.1;lr>'],
    localSeq: 1,
    remoteSeq: 5,
    transport: 'udp',
    inviteTransactionId: 'tx-1',
    localSdp: 'v=0\r\n',
  });
  dialog.confirm();
  dialog.markAnnounced();
  dialog.nextLocalSeq();
  dialog.refreshTarget('sip:b@10.0.0.3');
  dialog.peerAllowed(true);
  dialog.provisionals.acceptRemote(42);

  const data = JSON.parse(JSON.stringify(dialog));
  const copy = Dialog.from(data);
  expect(copy.toJSON()).toEqual(dialog.toJSON());
  expect(copy.id).toBe(dialog.id);
  expect(copy.state).toBe('confirmed');
  expect(copy.nextHop).toBe('<sip:proxy@10.0.0.1;lr>');
  expect(copy.nextLocalSeq()).toBe(3);
  expect(copy.acceptRemoteSeq(5)).toBe(false);
  expect(copy.provisionals.acceptRemote(42)).toBe(false);
  expect(data).not.toHaveProperty('connection');
  expect(data).not.toHaveProperty('sessionClock');
});
