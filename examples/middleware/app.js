// Seed README, "Middleware": a filter that only lets one address in (sipp calls from 127.0.0.1,
// so it gets 403), app.router, a response observer and an error handler of arity 4.
var drachtio = require('drachtio') ;
var app = drachtio() ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

app.connect(config) ;

app.use( function( req, res, next ) {
    /* reject all messages except from one ip address */
    if( req.signaling_address !== '192.168.1.52' ) {
        console.log('rejecting ' + req.method + ' from ' + req.signaling_address) ;
        return res.send(403) ;
    }
    next() ;
}) ;
app.use( app.router ) ;

app.use('response', function(req, res, next) {
    //...e.g. perhaps I want to examine and log response status codes here
    console.log(req.method + ' got ' + res.statusCode) ;
    next() ;
}) ;

app.use( function( err, req, res, next ) {
    console.error('handler failed: ' + err.message) ;
    res.send(500) ;
}) ;

app.invite( function( req, res ) {
    throw new Error('never reached from 127.0.0.1') ;
}) ;

module.exports = app ;
