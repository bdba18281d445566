import { RULES } from '../../engine/registry';
import { PYTHON_RULES } from '../../python/rules';

/**
 * `async-lens rules`: one line per rule of the catalog, aligned. The CLI
 * checks Python; a rule it does not run yet says so instead of listing
 * languages, so `--select` on it is never a silent surprise.
 */
export function rulesTable(): string {
  const runnable = new Set(PYTHON_RULES.map((rule) => rule.code));
  const rows = RULES.map((rule) => [rule.code, rule.name, rule.defaultSeverity, runnable.has(rule.code) ? 'yes' : 'planned', rule.summary]);
  const header = ['CODE', 'NAME', 'DEFAULT', 'PYTHON', 'SUMMARY'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
