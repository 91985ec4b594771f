// Seed README, "Reliable provisional responses": as UAC, Require: 100rel on the INVITE (the
// server PRACKs); as UAS, a 183 with Require: 100rel, then the 200 once the PRACK arrived.
var drachtio = require('drachtio') ;
var app = drachtio() ;
var debug = console.log ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

var sdp = ['v=0', 'o=drachtio 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9000 RTP/AVP 0', ''].join('\r\n') ;
var localSdp = sdp ;
var d = { dummySdp: sdp } ;

app.connect(config) ;

app.uac(process.env.FAR_END || 'sip:234@127.0.0.1:5060',{
    headers:{
        'content-type': 'application/sdp'
        ,'supported': '100rel'
        ,'require': '100rel'
    },
    body: sdp
}, function( err, req, res ) {
    if( err ) throw err ;
    debug('outgoing INVITE answered with ' + res.statusCode + '; hanging up') ;
    if( res.statusCode === 200 ) app.request({ method: 'BYE', dialogId: res.dialogId }) ;
}) ;

app.invite(function(req, res) {

    res.send(183, {
        headers: {
            'Content-Type': 'application/sdp'
            ,'Require': '100rel'
        }
        ,body: localSdp
    }) ;

    req.prack(function(prack){

        res.send(200, {
            headers: {
                'Content-Type': 'application/sdp'
            }
            ,body: d.dummySdp
        }) ;
   }) ;
}) ;

app.on('sipdialog:create-early', function(e) {
    var dialog = e.target ;
    debug('early dialog has been created (' + dialog.role + '): ', dialog.dialogId) ;
}) ;

module.exports = app ;
