// Seed README, "Middleware" for one method: REGISTER requires digest authentication.
var drachtio = require('drachtio') ;
var app = drachtio() ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

app.connect(config) ;

app.use('register', drachtio.digestAuth('dracht.io', function( realm, user, fn) {
    //here we simply return 'foobar' as password; real-world we'd hit a database or something..
    fn( null, 'foobar') ;
})) ;

app.register( function( req, res ) {
    console.log('registered ' + req.authorization.username) ;
    res.send( 200, { headers: { expires: 1800 } }) ;
}) ;

module.exports = app ;
