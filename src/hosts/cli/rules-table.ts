import { CATALOG } from '../../catalog';

/**
 * `async-lens rules`: one line per rule of the catalog, aligned. The CLI
 * checks Python; a rule it does not run yet says so instead of listing
 * languages, so `--select` on it is never a silent surprise.
 */
export function rulesTable(): string {
  const rows = CATALOG.entries.map((rule) => [rule.code, rule.name, rule.defaultSeverity, rule.implementations.has('python') ? 'yes' : rule.languages.includes('python') ? 'planned' : '-', rule.summary]);
  const header = ['CODE', 'NAME', 'DEFAULT', 'PYTHON', 'SUMMARY'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
