#!/usr/bin/env node
/**
 * node dist/simulator/cli.js --port 5090 [--address 127.0.0.1] [--play-ms 200] [--digits 1234#,5]
 *                            [--digit-delay-ms 100] [--record-ms 300] [--record-file name.wav] [--sip-trace] [--quiet]
 * Runs the media-server simulator until SIGINT/SIGTERM; prints every MSML body in and out
 * (and with --sip-trace every SIP message).
 */
import { parseArgs } from 'node:util';
import { MediaServerSimulator } from './media-server';
import { DEFAULT_SCRIPT } from './script';

const USAGE = `usage: msml-simulator [--port 5090] [--address 127.0.0.1] [--play-ms ${DEFAULT_SCRIPT.playMs}]
  [--digits ${DEFAULT_SCRIPT.digits.join(',')}] [--digit-delay-ms ${DEFAULT_SCRIPT.digitDelayMs}]
  [--record-ms ${DEFAULT_SCRIPT.recordMs}] [--record-file <name>] [--sip-trace] [--quiet]`;

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '5090' },
        address: { type: 'string', default: '127.0.0.1' },
        'play-ms': { type: 'string' },
        digits: { type: 'string' },
        'digit-delay-ms': { type: 'string' },
        'record-ms': { type: 'string' },
        'record-file': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'sip-trace': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const simulator = new MediaServerSimulator({
    address: values.address,
    port: number('port', values.port),
    script: {
      ...(values['play-ms'] !== undefined ? { playMs: number('play-ms', values['play-ms']) } : {}),
      ...(values.digits !== undefined ? { digits: values.digits.split(',') } : {}),
      ...(values['digit-delay-ms'] !== undefined
        ? { digitDelayMs: number('digit-delay-ms', values['digit-delay-ms']) }
        : {}),
      ...(values['record-ms'] !== undefined
        ? { recordMs: number('record-ms', values['record-ms']) }
        : {}),
      ...(values['record-file'] !== undefined ? { recordFile: values['record-file'] } : {}),
    },
  });
  if (!values.quiet) {
    simulator.on('connect', (id) => console.log(`${id} connected`));
    simulator.on('disconnect', (id) => console.log(`${id} disconnected`));
    simulator.on('msml', ({ direction, connectionId, body }) => {
      console.log(`${direction === 'received' ? '<<<' : '>>>'} ${connectionId}\n${body}`);
    });
  }
  if (values['sip-trace']) {
    simulator.on('sip', (direction, text, peer) => {
      console.log(
        `${direction === 'received' ? `<<< SIP from ${peer.address}:${peer.port}` : `>>> SIP to ${peer.address}:${peer.port}`}\n${text.trimEnd()}\n`,
      );
    });
  }
  simulator.on('warning', (error) => console.error(`warning: ${error.message}`));

  simulator.start().then(
    (bound) =>
      console.log(`msml-simulator listening on sip:msml@${bound.address}:${bound.port} (udp)`),
    (error: Error) => {
      console.error(`msml-simulator: cannot listen: ${error.message}`);
      process.exit(1);
    },
  );
  const stop = (): void => void simulator.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, not ${JSON.stringify(text)}\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

main();
