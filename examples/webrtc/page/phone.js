// The browser side: JsSIP over secure WebSocket (RFC 7118). The page's state is shown on the
// page and kept in window.phone.state, which the browser test reads.
import JsSIP from 'jssip';

const params = new URLSearchParams(location.search);
const server = params.get('ws') ?? `wss://${location.hostname}:8443`;
const domain = params.get('domain') ?? location.hostname;
const user = params.get('user') ?? 'alice';
// ?autoanswer=1: incoming calls are answered at once (the test calls the browser this way).
const autoAnswer = params.get('autoanswer') === '1';

const state = { registration: 'connecting', call: 'idle', direction: '', cause: '' };
let session;

function show(changes) {
  Object.assign(state, changes);
  document.getElementById('registration').textContent = state.registration;
  const cause = state.cause ? ` (${state.cause})` : '';
  document.getElementById('call').textContent = `${state.direction} ${state.call}${cause}`.trim();
}

const ua = new JsSIP.UA({
  sockets: [new JsSIP.WebSocketInterface(server)],
  uri: `sip:${user}@${domain}`,
  register: true,
  session_timers: false,
});

ua.on('registered', () => show({ registration: 'registered' }));
ua.on('unregistered', () => show({ registration: 'unregistered' }));
ua.on('registrationFailed', (e) => show({ registration: `failed: ${e.cause}` }));
ua.on('disconnected', () => show({ registration: 'disconnected' }));

ua.on('newRTCSession', ({ session: s, originator }) => {
  session = s;
  show({
    call: originator === 'remote' ? 'ringing' : 'calling',
    direction: originator === 'remote' ? 'incoming' : 'outgoing',
    cause: '',
  });
  s.on('progress', () => show({ call: 'progress' }));
  s.on('confirmed', () => show({ call: 'confirmed' }));
  s.on('ended', (e) => show({ call: 'ended', cause: e.cause }));
  s.on('failed', (e) => show({ call: 'failed', cause: e.cause }));
  s.on('peerconnection', ({ peerconnection }) => {
    peerconnection.addEventListener(
      'track',
      (e) => (document.getElementById('remote').srcObject = e.streams[0]),
    );
  });
  if (originator === 'remote' && autoAnswer)
    s.answer({ mediaConstraints: { audio: true, video: false } });
});

function call() {
  const target = document.getElementById('target').value;
  ua.call(`sip:${target}@${domain}`, {
    mediaConstraints: { audio: true, video: false },
    pcConfig: { iceServers: [] },
  });
}

function hangup() {
  if (session && !session.isEnded()) session.terminate();
}

document.getElementById('dial').addEventListener('click', call);
document.getElementById('hangup').addEventListener('click', hangup);
window.phone = { state, call, hangup };
ua.start();
