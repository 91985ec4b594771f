import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

/** The configuration layers, as a pure unit: defaults < file < environment < flags. */
describe('loadConfig', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drachtio-config-'));
    file = join(dir, 'drachtio.json');
    writeFileSync(
      file,
      JSON.stringify({
        secret: 'file-secret',
        contacts: ['sip:10.0.0.1:5060'],
        admin: { address: '10.0.0.1', port: 9000 },
        requests: { autoAnswerOptions: true },
        limits: { maxFrameSize: 65536 },
        sip: { timers: { t1: 250 } },
        log: { level: 'debug' },
      }),
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('requires a secret and never invents one', () => {
    expect(() => loadConfig({}, {}, [])).toThrow(ConfigError);
    expect(() => loadConfig({ secret: '' }, {})).toThrow(/no secret configured/);
  });

  it('reads the file, then lets the environment and the flags win', () => {
    expect(loadConfig({ file }, {})).toMatchObject({
      secret: 'file-secret',
      contacts: ['sip:10.0.0.1:5060'],
      admin: { address: '10.0.0.1', port: 9000 },
      requests: { autoAnswerOptions: true },
      limits: { maxFrameSize: 65536 },
      sip: { timers: { t1: 250 } },
      logLevel: 'debug',
    });
    const env = {
      DRACHTIO_SECRET: 'env-secret',
      DRACHTIO_ADMIN_PORT: '9001',
      DRACHTIO_CONTACTS: 'sip:10.0.0.2:5062;transport=udp sip:10.0.0.2:5063',
      DRACHTIO_LOGLEVEL: 'warn',
      DRACHTIO_AUTO_ANSWER_OPTIONS: 'false',
    };
    expect(loadConfig({ file }, env)).toMatchObject({
      secret: 'env-secret',
      contacts: ['sip:10.0.0.2:5062;transport=udp', 'sip:10.0.0.2:5063'],
      admin: { address: '10.0.0.1', port: 9001 },
      requests: { autoAnswerOptions: false },
      logLevel: 'warn',
    });
    expect(
      loadConfig(
        {
          file,
          secret: 'flag-secret',
          port: '9002',
          contact: ['sip:[::1]:5070;transport=tcp'],
          loglevel: 'error',
          address: '::1',
        },
        env,
      ),
    ).toMatchObject({
      secret: 'flag-secret',
      contacts: ['sip:[::1]:5070;transport=tcp'],
      admin: { address: '::1', port: 9002 },
      logLevel: 'error',
    });
  });

  it('accepts the sample config shipped with the package', () => {
    const sample = join(__dirname, '..', '..', 'drachtio.sample.json');
    expect(loadConfig({ file: sample }, {})).toMatchObject({
      secret: 'change-me',
      admin: { port: 8022 },
      logLevel: 'info',
    });
  });

  it('finds the file through DRACHTIO_CONFIG, and ignores it with --noconfig', () => {
    expect(loadConfig({}, { DRACHTIO_CONFIG: file }, []).secret).toBe('file-secret');
    expect(() => loadConfig({ noconfig: true }, { DRACHTIO_CONFIG: file })).toThrow(
      /no secret configured/,
    );
  });

  it.each([
    [{ secret: 's', port: '80a' }, /invalid admin port '80a'/],
    [{ secret: 's', port: '65536' }, /invalid admin port/],
    [{ secret: 's', contact: ['sip:host:70000'] }, /invalid SIP contact/],
    [{ secret: 's', contact: ['sip:host;transport=sctp'] }, /unsupported transport "sctp"/],
    [{ secret: 's', loglevel: 'loud' }, /invalid log level 'loud'/],
  ])('rejects bad flags %#', (flags, message) => {
    expect(() => loadConfig(flags, {})).toThrow(message);
  });

  it.each([
    [{ secret: 5 }, /: secret: must be string$/],
    [{ secret: 's', limits: { maxFrameSize: -1 } }, /: limits.maxFrameSize: must be >= 1$/],
    [
      { secret: 's', limits: { frames: 1 } },
      /: limits.frames: unknown key; known keys: maxFrameSize, maxConnections, authTimeout, keepaliveInterval, maxWriteBuffer, maxUnauthenticated$/,
    ],
    [
      { secret: 's', sip: { timers: { t9: 1 } } },
      /: sip.timers.t9: unknown key; known keys: t1, t2, t4, timerC$/,
    ],
    [{ secret: 's', requests: { noAppStatus: 200 } }, /: requests.noAppStatus: must be >= 300$/],
    [
      { secret: 's', log: { level: 'loud' } },
      /: log.level: must be one of fatal, error, warn, info, debug, trace, silent$/,
    ],
    [{ secret: 's', homer: { address: 'h' } }, /: homer: must have required property 'port'$/],
    [
      { secret: 's', admin: { prot: 1 }, log: { levle: 'x' } },
      /admin.prot: unknown key; known keys: address, port, tls; log.levle: unknown key; known keys: level, file, sipTrace$/,
    ],
    [{ secret: 's', admin: { tls: { certFile: '/x' } } }, /needs both a certificate and a key/],
    [['not', 'an', 'object'], /must hold a JSON object/],
  ])('rejects a bad config file %#', (content, message) => {
    writeFileSync(file, JSON.stringify(content));
    expect(() => loadConfig({ file }, {})).toThrow(message);
  });

  it('looks for the default config file when neither -f nor DRACHTIO_CONFIG names one', () => {
    expect(loadConfig({}, {}, [join(dir, 'absent.json'), file])).toMatchObject({
      secret: 'file-secret',
      configFile: file,
    });
    expect(() => loadConfig({ noconfig: true }, {}, [file])).toThrow(/no secret configured/);
    expect(loadConfig({ secret: 's' }, {}, [join(dir, 'absent.json')]).configFile).toBeUndefined();
  });

  it('takes the C++ drachtio-server environment names for admin port, Homer and Prometheus', () => {
    const env = {
      DRACHTIO_SECRET: 's',
      DRACHTIO_ADMIN_TCP_PORT: '9100',
      DRACHTIO_HOMER_ADDRESS: '10.0.0.9',
      DRACHTIO_HOMER_PORT: '9060',
      DRACHTIO_HOMER_ID: '7',
      DRACHTIO_PROMETHEUS_SCRAPE_PORT: '0.0.0.0:9091',
    };
    expect(loadConfig({}, env, [])).toMatchObject({
      admin: { port: 9100 },
      homer: { address: '10.0.0.9', port: 9060, id: 7 },
      prometheus: { address: '0.0.0.0', port: 9091 },
      sipTrace: false,
      shutdown: { drainTimeout: 30000, retryAfter: 60 },
    });
    expect(
      loadConfig(
        { homer: '[::1]:9061', homerId: '8', prometheusScrapePort: '9092', sipTrace: true },
        env,
        [],
      ),
    ).toMatchObject({
      homer: { address: '::1', port: 9061, id: 8 },
      prometheus: { address: '127.0.0.1', port: 9092 },
      sipTrace: true,
    });
  });

  it.each([
    [{ homer: 'homer' }, /invalid --homer 'homer': expected host:port/],
    [{ homer: 'h:0' }, /invalid --homer 'h:0': the port must be from 1 to 65535/],
    [{ homerId: '3' }, /a Homer id without a Homer collector/],
    [{ homer: 'h:9060', homerId: '-1' }, /invalid Homer id '-1'/],
    [{ prometheusScrapePort: 'x:y' }, /invalid Prometheus scrape port 'x:y'/],
  ])('rejects bad operations flags %#', (flags, message) => {
    expect(() => loadConfig({ secret: 's', ...flags }, {}, [])).toThrow(message);
  });

  it('reports an unreadable TLS file by name', () => {
    writeFileSync(
      file,
      JSON.stringify({
        secret: 's',
        admin: { tls: { certFile: join(dir, 'nope.pem'), keyFile: join(dir, 'nope.key') } },
      }),
    );
    expect(() => loadConfig({ file }, {})).toThrow(
      `cannot read TLS file ${join(dir, 'nope.pem')}: ENOENT`,
    );
  });
});
