// WebRTC SDP the browser accepts, for signalling without media: this app has no media stack, so
// it answers the browser's offer with an audio section that mirrors the offer's mid and Opus
// payload type, and calls the browser with a fixed offer. ICE never completes; the call's
// signalling (INVITE, 200, ACK, BYE) does.
'use strict';
const { createHash, randomBytes } = require('node:crypto');

const FINGERPRINT = createHash('sha256')
  .update('drachtio webrtc example')
  .digest('hex')
  .toUpperCase()
  .match(/../g)
  .join(':');

function audioSection(mid, payload, setup) {
  return [
    `m=audio 9 UDP/TLS/RTP/SAVPF ${payload}`,
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${randomBytes(4).toString('hex')}`,
    `a=ice-pwd:${randomBytes(12).toString('hex')}`,
    `a=fingerprint:sha-256 ${FINGERPRINT}`,
    `a=setup:${setup}`,
    `a=mid:${mid}`,
    'a=sendrecv',
    'a=rtcp-mux',
    `a=rtpmap:${payload} opus/48000/2`,
  ];
}

function session(mid, lines) {
  const id = Date.now();
  return [
    'v=0',
    `o=drachtio ${id} ${id} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    `a=group:BUNDLE ${mid}`,
    ...lines,
    '',
  ].join('\r\n');
}

/** The answer to a browser's offer: its first audio section, answered as DTLS server. */
function answerTo(offer) {
  const audio = offer.slice(offer.indexOf('m=audio'));
  const mid = /^a=mid:(\S+)/m.exec(audio)?.[1] ?? '0';
  const payload = /^a=rtpmap:(\d+) opus\/48000/im.exec(audio)?.[1] ?? '111';
  return session(mid, audioSection(mid, payload, 'passive'));
}

/** An offer for calling the browser. */
function offer() {
  return session('0', audioSection('0', '111', 'actpass'));
}

module.exports = { answerTo, offer };
