import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');

/** A fenced code block whose info string contains the word `doctest`. */
export interface DocBlock {
  file: string;
  line: number;
  lang: string;
  /** `key=value` words of the info string, e.g. `expect=uac-486.xml`. */
  options: Record<string, string>;
  code: string;
}

const fence = /^( *)```(\S*)([^\n]*)\n([\s\S]*?)^\1```/gm;

export function blocksIn(file: string): DocBlock[] {
  const text = readFileSync(file, 'utf8');
  const blocks: DocBlock[] = [];
  for (const match of text.matchAll(fence)) {
    const [, indent, lang, info, body] = match;
    const words = info.trim().split(/\s+/);
    if (!words.includes('doctest')) continue;
    const options: Record<string, string> = {};
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq > 0) options[word.slice(0, eq)] = word.slice(eq + 1);
    }
    const code = body
      .split('\n')
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n');
    const line = text.slice(0, match.index).split('\n').length;
    blocks.push({ file: relative(repoRoot, file), line, lang, options, code });
  }
  return blocks;
}

/** README.md and every markdown file under docs/. */
export function documentedBlocks(): DocBlock[] {
  const docs = readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(repoRoot, 'docs', f));
  return [join(repoRoot, 'README.md'), ...docs].flatMap(blocksIn);
}

/** Docs are written for the default ports; tests run on free ones. */
export function withPorts(code: string, ports: { admin: number; sip: number }): string {
  return code.replace(/\b8022\b/g, String(ports.admin)).replace(/\b5060\b/g, String(ports.sip));
}
