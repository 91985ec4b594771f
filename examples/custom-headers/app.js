// Seed README, "Custom headers": any header passes through; protected ones (Call-ID, CSeq, Via,
// ...) are dropped by the server with a warning in its log.
var drachtio = require('drachtio') ;
var app = drachtio() ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

app.connect(config) ;

app.invite(function(req, res) {
    res.send( 500, 'Internal Server Error - Database down',{
        headers: {
            'X-My-Special-thingy': 'isnt my custom header shiny pretty?'
        }
    }) ;
}) ;

module.exports = app ;
