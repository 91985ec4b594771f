// Seed README, "Canceling a request": cancelRequest() on an INVITE the app sent, and
// req.active / req.cancel() on an INVITE the app received.
var drachtio = require('drachtio') ;
var app = drachtio() ;
var debug = console.log ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

var sdp = ['v=0', 'o=alice 1000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 6000 RTP/AVP 0', ''].join('\r\n') ;
var localSdp = sdp ;

app.connect(config) ;

var request = app.uac(process.env.FAR_END || 'sip:234@127.0.0.1:5060',{
    headers:{
        'content-type': 'application/sdp'
    },
    body: sdp
}, function( err, req, res ) {

    if( err ) throw( err ) ;
    debug('outgoing INVITE ended with ' + res.statusCode) ;
    if( res.statusCode === 200 ) {
        res.ack() ;
    }
}) ;

//cancel the request 1 second after sending it
setTimeout( function() {
    request.cancelRequest() ;
}, 1000) ;

app.invite(function(req, res) {

    res.send(180) ;

    //....time passes
    setTimeout( function() {
        req.active && res.send(200, {
            headers: {
                'content-type': 'application/sdp'
            }
            ,body: localSdp
        }) ;
    }, 2000) ;

    req.cancel( function( req, res ){
        debug('request was canceled by sender')
    }) ;
}) ;

module.exports = app ;
