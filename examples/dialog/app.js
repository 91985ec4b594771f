// The seed README's "Sip dialog support" snippet, as written there. Only the connection
// settings come from the environment (run.mjs starts the server on free ports and Redis with a
// key prefix of its own), and mySdp is defined.
var drachtio = require('drachtio')
var app = drachtio()
var RedisStore = require('drachtio-redis')(drachtio)

var mySdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n'

app.connect({
    host: process.env.DRACHTIO_HOST || 'localhost'
    ,port: Number(process.env.DRACHTIO_PORT || 8022)
    ,secret: 'cymru'
}) ;

app.use( drachtio.session({store: new RedisStore({host: process.env.REDIS_HOST || 'localhost', prefix: process.env.REDIS_PREFIX}) }) ) ;
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
    console.log('dialog ' + dialog.id + ' created: ' + dialog.callingParty.uri + ' -> ' + dialog.calledParty.uri) ;
})
.on('sipdialog:terminate', function(e) {
    var dialog = e.target ;
    
    console.log('dialog was terminated due to ' + e.reason ) ;
}) ;

// Not in the snippet: tell run.mjs (which reads this output) that calls may come.
app.on('connect', function(err) {
    if (err) throw err ;
    console.log('connected') ;
}) ;
