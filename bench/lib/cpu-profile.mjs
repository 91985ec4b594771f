// Reads a V8 .cpuprofile (node --cpu-prof) into the few lists a person needs: functions by self
// time, functions by inclusive time (each function counted once per sample, so recursion does
// not inflate it), and self time by module. Percentages are of the busy samples: '(idle)' (the
// event loop waiting) is left out and reported as the process's busy share instead.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export function summarizeCpuProfile(file, { root, top = 15 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map();
  const inclusive = new Map();
  const modules = new Map();
  let total = 0;
  for (const sampleId of profile.samples) {
    const leaf = byId.get(sampleId);
    if (leaf.callFrame.functionName === '(idle)') continue;
    total++;
    add(self, frameKey(leaf.callFrame, root));
    add(modules, moduleOf(leaf.callFrame, root));
    const seen = new Set();
    for (let id = sampleId; id !== undefined; id = parent.get(id)) {
      const key = frameKey(byId.get(id).callFrame, root);
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusive, key);
      }
    }
  }
  const ranked = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, samples]) => ({ name, percent: Math.round((1000 * samples) / total) / 10 }));
  return {
    samples: profile.samples.length,
    busyPercent: Math.round((1000 * total) / Math.max(1, profile.samples.length)) / 10,
    seconds: Math.round((profile.endTime - profile.startTime) / 1e5) / 10,
    self: ranked(self, top),
    inclusive: ranked(inclusive, top + 10).filter((entry) => !entry.name.startsWith('(root)')),
    modules: ranked(modules, 12),
  };
}

function add(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function frameKey({ functionName, url, lineNumber }, root) {
  const name = functionName || '(anonymous)';
  if (!url) return name;
  return `${name} ${shortPath(url, root)}:${lineNumber + 1}`;
}

/** A package and folder: 'drachtio-server-ts/transaction', 'node:internal/dgram', '(garbage collector)'. */
function moduleOf({ functionName, url }, root) {
  if (!url) return functionName || '(native)';
  const path = shortPath(url, root);
  if (path.startsWith('node:')) return path.split('/').slice(0, 2).join('/');
  const packageMatch = /(?:packages|tools)\/([^/]+)\/dist\/(?:([^/]+)\/)?/.exec(path);
  if (packageMatch)
    return packageMatch[2] && !packageMatch[2].endsWith('.js')
      ? `${packageMatch[1]}/${packageMatch[2]}`
      : packageMatch[1];
  const nodeModule = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(
    path,
  );
  if (nodeModule) return nodeModule[1];
  return path;
}

function shortPath(url, root) {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return root && path.startsWith(root) ? relative(root, path) : path;
}
