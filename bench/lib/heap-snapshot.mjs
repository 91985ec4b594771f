// Reads V8 heap snapshots. `diffHeapSnapshots` compares two by what the objects are
// (constructor or kind): with N calls held, count / N is objects per call. `bufferOwners`
// tells who keeps the binary memory (Buffer backing stores) alive: a small Buffer taken from
// Node's 8 KiB allocation pool keeps the whole pool slab alive for as long as it lives.
import { readFileSync } from 'node:fs';

export function diffHeapSnapshots(beforeFile, afterFile, { per = 1, top = 20 } = {}) {
  const before = aggregate(load(beforeFile));
  const afterSnapshot = load(afterFile);
  const after = aggregate(afterSnapshot);
  const rows = [];
  for (const [name, { count, size }] of after) {
    const was = before.get(name) ?? { count: 0, size: 0 };
    const addedSize = size - was.size;
    if (addedSize <= 0) continue;
    rows.push({
      name,
      addedCount: count - was.count,
      addedBytes: addedSize,
      perCallCount: round((count - was.count) / per),
      perCallBytes: round(addedSize / per),
    });
  }
  rows.sort((a, b) => b.addedBytes - a.addedBytes);
  const totalAdded = rows.reduce((sum, row) => sum + row.addedBytes, 0);
  return {
    perCallBytes: round(totalAdded / per),
    top: rows.slice(0, top),
    bufferOwners: bufferOwners(afterSnapshot),
  };
}

function load(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const { meta } = snapshot.snapshot;
  const nodeFields = meta.node_fields;
  const edgeFields = meta.edge_fields;
  return {
    ...snapshot,
    nodeWidth: nodeFields.length,
    edgeWidth: edgeFields.length,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    at: {
      type: nodeFields.indexOf('type'),
      name: nodeFields.indexOf('name'),
      size: nodeFields.indexOf('self_size'),
      edges: nodeFields.indexOf('edge_count'),
      edgeType: edgeFields.indexOf('type'),
      edgeName: edgeFields.indexOf('name_or_index'),
      edgeTo: edgeFields.indexOf('to_node'),
    },
  };
}

function aggregate(snapshot) {
  const { nodes, strings, nodeWidth, nodeTypes, at } = snapshot;
  const totals = new Map();
  for (let i = 0; i < nodes.length; i += nodeWidth) {
    const key = keyOf(nodeTypes[nodes[i + at.type]], strings[nodes[i + at.name]]);
    const entry = totals.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += nodes[i + at.size];
    totals.set(key, entry);
  }
  return totals;
}

/**
 * Binary memory by owner: every backing store, through its ArrayBuffer and the Buffers viewing
 * it, to the objects holding those Buffers ('InviteServerTransaction.lastResponse'). A store
 * several owners share is counted for each of them.
 */
export function bufferOwners(snapshot, top = 8) {
  const { nodes, edges, strings, nodeWidth, edgeWidth, nodeTypes, edgeTypes, at } = snapshot;
  const count = nodes.length / nodeWidth;
  const nameOf = (n) => strings[nodes[n * nodeWidth + at.name]];
  // Reverse edges (who points at whom), skipping weak ones, as flat arrays.
  const firstEdge = new Uint32Array(count + 1);
  for (let n = 0; n < count; n++)
    firstEdge[n + 1] = firstEdge[n] + nodes[n * nodeWidth + at.edges] * edgeWidth;
  const inDegree = new Uint32Array(count + 1);
  for (let e = 0; e < edges.length; e += edgeWidth) {
    if (edgeTypes[edges[e + at.edgeType]] !== 'weak')
      inDegree[edges[e + at.edgeTo] / nodeWidth + 1]++;
  }
  for (let n = 0; n < count; n++) inDegree[n + 1] += inDegree[n];
  const fill = inDegree.slice(0, count);
  const retainer = new Uint32Array(inDegree[count]);
  const retainerEdge = new Uint32Array(inDegree[count]);
  for (let n = 0; n < count; n++) {
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += edgeWidth) {
      if (edgeTypes[edges[e + at.edgeType]] === 'weak') continue;
      const to = edges[e + at.edgeTo] / nodeWidth;
      retainer[fill[to]] = n;
      retainerEdge[fill[to]++] = e;
    }
  }
  const retainersOf = function* (n) {
    for (let r = inDegree[n]; r < inDegree[n + 1]; r++) yield [retainer[r], retainerEdge[r]];
  };
  const edgeName = (e) => {
    const type = edgeTypes[edges[e + at.edgeType]];
    return type === 'element' || type === 'hidden'
      ? `[${edges[e + at.edgeName]}]`
      : strings[edges[e + at.edgeName]];
  };

  const owners = new Map();
  for (let n = 0; n < count; n++) {
    if (
      nodeTypes[nodes[n * nodeWidth + at.type]] !== 'native' ||
      !nameOf(n).includes('JSArrayBufferData')
    )
      continue;
    const size = nodes[n * nodeWidth + at.size];
    for (const [arrayBuffer] of retainersOf(n)) {
      for (const [view] of retainersOf(arrayBuffer)) {
        if (view === arrayBuffer || !/^(Buffer|Uint8Array|FastBuffer)$/.test(nameOf(view)))
          continue;
        for (const [owner, edge] of retainersOf(view)) {
          const key = `${nameOf(owner) || '(closure context)'}.${edgeName(edge)}`;
          const entry = owners.get(key) ?? { owner: key, stores: 0, bytes: 0, slabs: 0 };
          entry.stores++;
          entry.bytes += size;
          if (size === 8192) entry.slabs++;
          owners.set(key, entry);
        }
      }
    }
  }
  return [...owners.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top);
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
