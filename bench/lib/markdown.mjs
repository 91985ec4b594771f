// Markdown pieces shared by the report's sections.

/** A table's lines (header, rule, rows, then a blank line); `|` in a cell becomes `/`. */
export function markdownTable(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(
      (row) => `| ${row.map((cell) => String(cell ?? '').replace(/\|/g, '/')).join(' | ')} |`,
    ),
    '',
  ];
}

/** 'server 93.1, app 30.2' from { server: 93.1, app: 30.2 }. */
export function cpuText(cpu) {
  return Object.entries(cpu)
    .map(([name, value]) => `${name} ${value ?? '?'}`)
    .join(', ');
}

export function holdsText(holds, smoke) {
  if (holds === null) return smoke ? 'n/a (smoke)' : 'not measured';
  return holds ? 'yes' : '**no**';
}
