// Seed README, "Session state": req.session, stored in Redis, set on the INVITE and read on the BYE.
var drachtio = require('drachtio')
var app = drachtio()
var RedisStore = require('drachtio-redis')(drachtio) ;

var localSdp = ['v=0', 'o=drachtio 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9000 RTP/AVP 0', ''].join('\r\n') ;
var store = new RedisStore({host: 'localhost'}) ;

app.connect({
    host: process.env.DRACHTIO_HOST || 'localhost'
    ,port: Number(process.env.DRACHTIO_PORT || 8022)
    ,secret: 'cymru'
}) ;

app.use( drachtio.session({store: store }) ) ;
app.use( app.router ) ;

app.invite(function(req, res) {
    req.session.user = 'DaveH' ;
    res.send(200, {
        headers: {
            'content-type': 'application/sdp'
        }
        ,body: localSdp
    }) ;
}) ;

app.bye( function(req, res){
    console.log('user is ' + req.session.user) ;
}) ;

module.exports = app ;
