// Seed README, "Receiving sip requests": answer INVITE with SDP, REGISTER with Expires.
// (drachtio-server-ts sends 100 Trying to every INVITE by itself.)
var drachtio = require('drachtio') ;
var app = drachtio() ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

var mySdp = ['v=0', 'o=drachtio 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9000 RTP/AVP 0', ''].join('\r\n') ;

app.connect(config) ;

app.invite( function( req, res ) {
    res.send( 200, {
        body: mySdp,
        headers: {
            'content-type': 'application/sdp'
        }
    }) ;
}) ;
app.register( function( req, res ) {
    res.send( 200, {
        headers: {
            expires: 1800
        }
    }) ;
}) ;
// A BYE nobody handles is answered 200 by default.

module.exports = app ;
