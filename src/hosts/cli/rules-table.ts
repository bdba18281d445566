import { CATALOG } from '../../catalog';
import type { Language } from '../../engine/types';

/**
 * `async-lens rules`: one line per rule of the catalog, aligned, with a
 * column per language the CLI checks: `yes` when it runs there, `planned`
 * when it will, `-` when it does not apply, so `--select` on it is never a
 * silent surprise.
 */
export function rulesTable(): string {
  const runs = (rule: (typeof CATALOG.entries)[number], language: Language) => (rule.implementations.has(language) ? 'yes' : rule.languages.includes(language) ? 'planned' : '-');
  const rows = CATALOG.entries.map((rule) => [rule.code, rule.name, rule.defaultSeverity, runs(rule, 'python'), runs(rule, 'javascript'), rule.summary]);
  const header = ['CODE', 'NAME', 'DEFAULT', 'PYTHON', 'JS/TS', 'SUMMARY'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
