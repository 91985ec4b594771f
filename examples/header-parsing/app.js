// Seed README, "SIP Header Parsing": headers of incoming requests come parsed.
var drachtio = require('drachtio') ;
var app = drachtio() ;
var config = { host: process.env.DRACHTIO_HOST || 'localhost', port: Number(process.env.DRACHTIO_PORT || 8022), secret: 'cymru' } ;

app.connect(config) ;

app.invite(function(req, res) {
	console.log('remote tag on the incoming INVITE is ' + req.get('from').tag ) ;
	console.log('calling party number on the incoming INVITE is ' + req.get('from').url.user) ;
	console.log('top Via branch is ' + req.get('via')[0].branch + ', CSeq ' + req.get('cseq').seq) ;
	res.send(486) ;
}) ;

module.exports = app ;
