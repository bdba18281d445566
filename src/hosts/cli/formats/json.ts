import type { Formatter } from './report';
import { spanOf } from './report';

/**
 * The stable contract other tools parse: an array of findings with 1-based
 * lines and 1-based UTF-16 columns (ends exclusive). Add fields only; never
 * rename or remove one.
 */
export const formatJson: Formatter = (report) => {
  const findings = report.files.flatMap((file) => file.findings.map((finding) => ({
    file: file.path,
    ...spanOf(file.lines, finding.range),
    code: finding.code,
    name: finding.name,
    severity: finding.severity,
    message: finding.message,
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      safety: fix.safety,
      edits: fix.edits.map((edit) => ({ ...spanOf(file.lines, edit.range), newText: edit.newText })),
    })),
  })));
  return `${JSON.stringify(findings, null, 2)}\n`;
};
