/**
 * The C++ drachtio-server's contact flags, where order matters: `--external-ip`, `--local-net`
 * and `--dns-name` apply to the `--contact` before them, so an operator's command line
 * (`--contact sip:10.0.0.5;transport=udp --external-ip 203.0.113.5 --local-net 10.0.0.0/8`)
 * carries over. Commander calls these in command-line order.
 */
import { InvalidArgumentError } from 'commander';
import type { ContactAddressing } from '../transport/advertised-address';

export class ContactFlags {
  readonly contacts: string[] = [];
  readonly addressing: Record<string, ContactAddressing> = {};

  contact(uri: string): string[] {
    this.contacts.push(uri);
    return this.contacts;
  }

  externalIp(address: string): string {
    this.current('--external-ip').externalIp = address;
    return address;
  }

  localNet(net: string): string {
    const settings = this.current('--local-net');
    settings.localNet = [...(settings.localNet ?? []), net];
    return net;
  }

  dnsName(name: string): string {
    this.current('--dns-name').dnsName = name;
    return name;
  }

  private current(flag: string): ContactAddressing {
    const contact = this.contacts[this.contacts.length - 1];
    if (contact === undefined)
      throw new InvalidArgumentError(
        `${flag} applies to the --contact before it, and there is none`,
      );
    return (this.addressing[contact] ??= {});
  }
}
