import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATALOG } from '../../../catalog';
import type { Severity } from '../../../engine/types';
import { ruleDocsUri, VERSION } from '../package-info';
import type { Formatter } from './report';
import { spanOf, type Span } from './report';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const SOURCE_ROOT = '%SRCROOT%';

/** SARIF 2.1.0, one run, for code-scanning services (GitHub uploads it with `github/codeql-action/upload-sarif`). */
export const formatSarif: Formatter = (report) => {
  const ruleIndex = new Map(CATALOG.entries.map((rule, index) => [rule.code, index]));
  const results = report.files.flatMap((file) => {
    const artifactLocation = artifactLocationOf(file.path);
    return file.findings.map((finding) => ({
      ruleId: finding.code,
      ruleIndex: ruleIndex.get(finding.code),
      level: LEVELS[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation, region: region(spanOf(file.lines, finding.range)) } }],
      ...(finding.fixes.length > 0
        ? {
            fixes: finding.fixes.map((fix) => ({
              description: { text: fix.title },
              artifactChanges: [{
                artifactLocation,
                replacements: fix.edits.map((edit) => ({
                  deletedRegion: region(spanOf(file.lines, edit.range)),
                  insertedContent: { text: edit.newText },
                })),
              }],
              properties: { safety: fix.safety },
            })),
          }
        : {}),
    }));
  });

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'async-lens',
          version: VERSION,
          rules: CATALOG.entries.map((rule) => ({
            id: rule.code,
            name: rule.name,
            shortDescription: { text: rule.summary },
            helpUri: ruleDocsUri(rule.code),
            defaultConfiguration: { level: LEVELS[rule.defaultSeverity] },
          })),
        },
      },
      originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(report.cwd) } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
};

function region(span: Span) {
  return { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

/** A relative path stays relative to the source root (as code-scanning services expect); an absolute one becomes a file URI. */
function artifactLocationOf(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const uri = path.normalize(file).split(path.sep).map(encodeURIComponent).join('/');
  return { uri, uriBaseId: SOURCE_ROOT };
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}
