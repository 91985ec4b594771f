// The default import from an ES module compiles with full types.
import drachtio from 'drachtio';
import type { Request } from 'drachtio';

const app = drachtio();
app.invite((req: Request, res) => {
  const tag: string | undefined = req.get('from').tag;
  res.send(486, { headers: { 'user-agent': `busy ${tag}` } });
});
app.connect({ host: 'localhost', port: 8022, secret: 'cymru' }, (err, hostport) => {
  if (!err) console.log(hostport);
});
