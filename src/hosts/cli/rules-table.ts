import { RULES } from '../../engine/registry';

/** `async-lens rules`: one line per rule, aligned. */
export function rulesTable(): string {
  const rows = RULES.map((rule) => [rule.code, rule.name, rule.defaultSeverity, rule.languages.map((language) => (language === 'python' ? 'py' : 'js')).join(', '), rule.summary]);
  const header = ['CODE', 'NAME', 'DEFAULT', 'LANGUAGES', 'SUMMARY'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
