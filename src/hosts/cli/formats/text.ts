import type { Formatter } from './report';
import { hasSafeFix, spanOf } from './report';

function problems(count: number): string {
  return `${count} problem${count === 1 ? '' : 's'}`;
}

/** ruff-like: `path:line:col: CODE [*] message`, then a summary line. */
export const formatText: Formatter = (report) => {
  const out: string[] = [];
  let total = 0;
  let fixable = 0;
  for (const file of report.files) {
    for (const finding of file.findings) {
      const { line, column } = spanOf(file.lines, finding.range);
      const safe = hasSafeFix(finding);
      out.push(`${file.path}:${line}:${column}: ${finding.code}${safe ? ' [*]' : ''} ${finding.message}`);
      total++;
      if (safe) fixable++;
    }
  }
  if (report.fixMode && report.fixed > 0) {
    out.push(`Found ${problems(report.fixed + total)} (${report.fixed} fixed, ${total} remaining).`);
  } else if (total === 0) {
    out.push(report.incomplete ? 'No problems found, but the check is incomplete: see the errors above.' : 'All checks passed!');
  } else {
    out.push(`Found ${problems(total)}${fixable > 0 ? ` (${fixable} fixable with --fix)` : ''}.`);
  }
  return `${out.join('\n')}\n`;
};
