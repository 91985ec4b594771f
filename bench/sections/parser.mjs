// 3. Parser throughput: bench/parser/ belongs to the drachtio-sip package's owner and exports
// runParserBench(); this only runs it and keeps what it returns.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const parserDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'parser');
const ENTRY_POINTS = ['run.mjs', 'index.mjs', 'index.js'];

export async function runParser({ smoke, log }) {
  const entry = ENTRY_POINTS.map((name) => join(parserDir, name)).find(existsSync);
  if (!entry) {
    log('parser: bench/parser/ has no entry point yet');
    return { error: 'bench/parser/ has no entry point exporting runParserBench()' };
  }
  const { runParserBench } = await import(pathToFileURL(entry).href);
  if (typeof runParserBench !== 'function')
    return { error: `${entry} does not export runParserBench()` };
  log('parser: runParserBench()');
  // A smoke run takes one round per case instead of the median of seven.
  return { results: await runParserBench(smoke ? { rounds: 1 } : {}) };
}
