// Compares two V8 heap snapshots by what the objects are (constructor or kind), to show what
// the memory added between them is made of: with N calls held, count / N is objects per call.
import { readFileSync } from 'node:fs';

export function diffHeapSnapshots(beforeFile, afterFile, { per = 1, top = 20 } = {}) {
  const before = aggregate(beforeFile);
  const after = aggregate(afterFile);
  const rows = [];
  for (const [name, { count, size }] of after) {
    const was = before.get(name) ?? { count: 0, size: 0 };
    const addedSize = size - was.size;
    if (addedSize <= 0) continue;
    rows.push({ name, addedCount: count - was.count, addedBytes: addedSize, perCallCount: round((count - was.count) / per), perCallBytes: round(addedSize / per) });
  }
  rows.sort((a, b) => b.addedBytes - a.addedBytes);
  const totalAdded = rows.reduce((sum, row) => sum + row.addedBytes, 0);
  return { perCallBytes: round(totalAdded / per), top: rows.slice(0, top) };
}

function aggregate(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const { nodes, strings } = snapshot;
  const totals = new Map();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    const key = keyOf(type, name);
    const entry = totals.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += nodes[i + sizeAt];
    totals.set(key, entry);
  }
  return totals;
}

/** Objects by constructor, closures by function name; strings and internals by kind only. */
function keyOf(type, name) {
  switch (type) {
    case 'object':
      return name;
    case 'closure':
      return `${name || '(anonymous)'}()`;
    case 'string':
    case 'concatenated string':
    case 'sliced string':
    case 'number':
    case 'bigint':
      return `(${type})`;
    default:
      return `(${type}) ${name.length > 40 ? `${name.slice(0, 40)}…` : name}`;
  }
}

function round(value) {
  return Math.round(value * 10) / 10;
}
