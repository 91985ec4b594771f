// Seed README, "Sip dialog support": drachtio.dialog() on top of Redis-backed sessions.
var drachtio = require('drachtio')
var app = drachtio()
var RedisStore = require('drachtio-redis')(drachtio)

var mySdp = ['v=0', 'o=drachtio 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9000 RTP/AVP 0', ''].join('\r\n') ;
var store = new RedisStore({host: 'localhost'}) ;

app.connect({
    host: process.env.DRACHTIO_HOST || 'localhost'
    ,port: Number(process.env.DRACHTIO_PORT || 8022)
    ,secret: 'cymru'
}) ;

app.use( drachtio.session({store: store }) ) ;
app.use( drachtio.dialog() ) ;
app.use( app.router ) ;

app.invite(function(req, res) {

    res.send(200, {
        headers: {
            'content-type': 'application/sdp'
        }
        ,body: mySdp
    }) ;
}) ;

app.on('sipdialog:create', function(e) {
    var dialog = e.target ;
    console.log('dialog created') ;
})
.on('sipdialog:terminate', function(e) {
    var dialog = e.target ;

    console.log('dialog was terminated due to ' + e.reason ) ;
}) ;

module.exports = app ;
