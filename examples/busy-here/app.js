// Seed README, quick start: every INVITE gets 486 Busy Here with a custom User-Agent.
var drachtio = require('drachtio') ;
var app = drachtio() ;

app.connect({host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru', appName:'my simple app'}, function( err, hostport ) {
    if( err ) console.error('failed to connect to drachtio-server: ' + err) ;
    else console.log('drachtio-server is listening for sip messages on ' + hostport) ;
}) ;

app.invite( function( req, res ) {
    res.send(486, {
        headers: {
            'user-agent': "Drachtio rocksz - but he's busy right now!"
        }
    }) ;
}) ;

module.exports = app ;
