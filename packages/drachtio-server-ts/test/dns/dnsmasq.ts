/**
 * A dnsmasq of a test's own on a loopback high port, serving the NAPTR, SRV and A/AAAA records
 * the test names; stopped (by its own pid) when the test is done. Never the system's port 53.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { freeUdpPort } from './free-port';

export interface DnsRecords {
  /** `--naptr-record` values: name,order,preference,flags,service,regexp,replacement */
  naptr?: string[];
  /** `--srv-host` values: _service._proto.domain,target,port,priority,weight */
  srv?: string[];
  /** `--host-record` values: name,address[,address] */
  hosts?: string[];
}

export const hasDnsmasq = spawnSync('sh', ['-c', 'command -v dnsmasq']).status === 0;

/** `describe` when dnsmasq is installed, else one printed skip (.ci/run installs it). */
export function describeWithDnsmasq(name: string, body: () => void): void {
  if (hasDnsmasq) return describe(name, body);
  console.warn(`skipping "${name}": dnsmasq is not installed (apt-get install dnsmasq-base)`);
  describe.skip(name, body);
}

export class Dnsmasq {
  private constructor(
    private readonly child: ChildProcess,
    /** '127.0.0.1:port', as the engine's dnsServers take it. */
    readonly server: string,
  ) {}

  static async start(records: DnsRecords): Promise<Dnsmasq> {
    const port = await freeUdpPort();
    const args = [
      '--keep-in-foreground',
      `--port=${port}`,
      '--no-resolv',
      '--no-hosts',
      '--conf-file=/dev/null',
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--pid-file=',
      '--user=',
      ...(records.naptr ?? []).map((r) => `--naptr-record=${r}`),
      ...(records.srv ?? []).map((r) => `--srv-host=${r}`),
      ...(records.hosts ?? []).map((r) => `--host-record=${r}`),
    ];
    const child = spawn('dnsmasq', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const dns = new Dnsmasq(child, `127.0.0.1:${port}`);
    await dns.ready(() => stderr);
    return dns;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** Polls until dnsmasq answers (it binds after start-up), or fails with what it printed. */
  private async ready(stderr: () => string): Promise<void> {
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([this.server]);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`dnsmasq exited: ${stderr()}`);
      try {
        await resolver.resolve4('ready.invalid');
        return;
      } catch (error) {
        // Any DNS answer (REFUSED, NXDOMAIN) means it listens; a timeout means not yet.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ETIMEOUT' && code !== 'ECONNREFUSED') return;
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`dnsmasq did not answer on ${this.server}: ${stderr()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
