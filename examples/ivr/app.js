// The IVR: answers a call, connects it to an MSML media server, plays a prompt, collects
// digits, says which digits came, and hangs up.
//
//   const ivr = require('./app');
//   ivr.start({ drachtio: { host, port, secret }, mediaServer: '127.0.0.1:5090' });
const drachtio = require('drachtio');
const msml = require('drachtio-msml');

const { moml } = msml;

function start({ drachtio: server, mediaServer, log = console.log }) {
  const app = drachtio();
  const media = msml(app);

  // The media server reports dialog events by INFO inside the call's dialog with it.
  app.use('info', msml.router);

  app.invite((req, res) => {
    log(`ivr: call from ${req.get('from').uri}`);
    // 3pcc: offer the caller's SDP to the media server, answer the caller with the media server's.
    media
      .makeConnection(mediaServer, { remote: { sdp: req.body } })
      .pipe(res, async (err, conn) => {
        if (err) return log(`ivr: could not connect the call to the media server: ${err.message}`);
        log(`ivr: call connected to the media server as ${conn.id}`);
        try {
          const dialog = await conn.makeDialog([
            moml.play({
              audio: 'file://prompts/enter-account-number.wav',
              barge: true,
              playexit: [
                moml.send({
                  target: 'source',
                  event: 'app.playDone',
                  namelist: 'play.end play.amt',
                }),
              ],
            }),
            moml.dtmf({
              fdt: '10s',
              idt: '3s',
              patterns: [{ digits: 'min=1;max=10;rtk=#' }],
              noinput: { actions: [moml.exit({ namelist: 'dtmf.end' })] },
              exit: [moml.exit({ namelist: 'dtmf.digits dtmf.end' })],
            }),
          ]);
          dialog.on('playDone', (e) =>
            log(`ivr: prompt finished (${e.data['play.end']}, ${e.data['play.amt']})`),
          );
          dialog.on('terminate', (e) => {
            if (e.data['dtmf.end'] === 'dtmf.match')
              log(`ivr: caller entered ${e.data['dtmf.digits']}`);
            else log(`ivr: no digits (${e.data['dtmf.end']})`);
            // Hanging up the caller releases the media server leg too: the two are linked.
            app.request({ method: 'BYE', dialogId: res.dialogId });
          });
        } catch (error) {
          log(`ivr: the media server refused the dialog: ${error.message}`);
          app.request({ method: 'BYE', dialogId: res.dialogId });
        }
      });
  });

  app.connect(server, (err, hostport) => {
    if (err) log(`ivr: cannot connect to drachtio-server-ts: ${err.message}`);
    else log(`ivr: connected; calls to sip:ivr@${hostport}`);
  });
  return app;
}

module.exports = { start };

// Standalone, against a drachtio-server-ts daemon and a simulator you started yourself:
//   node examples/ivr/app.js   (DRACHTIO_HOST, DRACHTIO_PORT, DRACHTIO_SECRET, MEDIA_SERVER)
if (require.main === module) {
  start({
    drachtio: {
      host: process.env.DRACHTIO_HOST || '127.0.0.1',
      port: Number(process.env.DRACHTIO_PORT || 8022),
      secret: process.env.DRACHTIO_SECRET || 'cymru',
    },
    mediaServer: process.env.MEDIA_SERVER || '127.0.0.1:5090',
  });
}
