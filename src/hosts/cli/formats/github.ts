import type { Severity } from '../../../engine/types';
import type { Formatter } from './report';
import { spanOf } from './report';

const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request. */
export const formatGithub: Formatter = (report) => {
  const out: string[] = [];
  for (const file of report.files) {
    for (const finding of file.findings) {
      const span = spanOf(file.lines, finding.range);
      const properties = [
        `file=${escapeProperty(file.path)}`,
        `line=${span.line}`,
        `col=${span.column}`,
        `endLine=${span.endLine}`,
        `endColumn=${span.endColumn}`,
        `title=${escapeProperty(`${finding.code} ${finding.name}`)}`,
      ];
      out.push(`::${COMMANDS[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}`);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
