// Seed README, "ACK requests": an INVITE sent without SDP; the 200 carries the far end's offer
// and the app's ACK carries the answer.
var drachtio = require('drachtio') ;
var app = drachtio()
  , siprequest = app.uac ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

var mySdp = ['v=0', 'o=alice 1000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 6000 RTP/AVP 0', ''].join('\r\n') ;

app.connect(config) ;

siprequest(process.env.FAR_END || 'sip:1234@192.168.173.139', function( err, req, res ) {
    if( err ) throw( err ) ;

    if( res.statusCode === 200 ) {
        res.ack({
            body: mySdp
            ,headers: {
                'content-type': 'application/sdp'
            }
        }) ;
        console.log('answered and acknowledged; hanging up') ;
        app.request({ method: 'BYE', dialogId: res.dialogId }) ;
    }
}) ;

module.exports = app ;
