// Seed README, "Sending sip requests": one OPTIONS ping after connecting, then disconnect.
var drachtio = require('drachtio') ;
var app = drachtio() ;
var debug = console.log ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

app.connect(config) ;

/* send one OPTIONS ping after connecting */
app.once('connect', function(err) {
    if( err ) throw( err ) ;
    app.uac.options(process.env.FAR_END || 'sip:1234@192.168.173.139', function( err, req, res ) {
        if( err ) console.error( err ) ;
        else debug('received response with status is ', res.statusCode ) ;

        app.disconnect() ;
    }) ;
}) ;

module.exports = app ;
