// A certificate authority made at run time with openssl, for the TLS transport step: a CA and a
// server certificate for 127.0.0.1. Nothing is committed. (tools/test-kit's createTestCa() does
// the same, but it is TypeScript built for the packages' tests, not a dependency of the bench.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const openssl = (args, cwd) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

/** { caCert, serverCert, serverKey } paths; remove() deletes them. */
export function createTestCa() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ca-'));
  const key = (name) =>
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`], dir);
  key('ca');
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-sha256',
      '-days',
      '2',
      '-subj',
      '/CN=drachtio bench CA',
    ]
      .concat([
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign',
      ])
      .concat(['-out', 'ca.pem']),
    dir,
  );
  key('server');
  openssl(
    ['req', '-new', '-key', 'server.key', '-subj', '/CN=localhost', '-out', 'server.csr'],
    dir,
  );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
    ].concat(['-days', '2', '-sha256', '-extfile', 'server.ext', '-out', 'server.pem']),
    dir,
  );
  return {
    caCert: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
