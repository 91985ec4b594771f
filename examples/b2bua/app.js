// Seed README, "Back-to-back user agent": the incoming INVITE's SDP goes out in a new INVITE
// whose responses are piped back; CANCEL and BYE cross from one leg to the other.
var drachtio = require('drachtio') ;
var app = drachtio()
  , siprequest = app.uac ;
var debug = console.log ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

app.connect(config) ;

app.invite(function(req, res) {
    var b2bua = siprequest( process.env.FAR_END || 'sip:209.251.49.158', {
        headers:{
            'content-type': 'application/sdp'
        }
        ,body: req.body
    }).pipe( res ) ;

    b2bua.on('fail', function(status) {
        debug('b2bua failed with status: ', status) ;
    })
    .on('success', function() {
        debug('b2bua connected successfully') ;
    }) ;
}) ;

module.exports = app ;
