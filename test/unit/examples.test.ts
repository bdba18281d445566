import * as path from 'node:path';
import { checkPaths } from '../../src/hosts/cli/check';
import { matchSnapshot } from '../support/snapshot';

/*
 * The examples/ workspace is what `npm start` shows a newcomer: every folder
 * must keep showing its mistakes (and examples/correct/ none), so the list of
 * findings is pinned by a snapshot.
 */

const ROOT = path.join(__dirname, '..', '..');

describe('the examples workspace', () => {
  it('shows each family of mistakes, and nothing in correct/', async () => {
    const result = await checkPaths(['examples'], { cwd: ROOT });
    const lines = result.files.flatMap((file) =>
      file.findings.map((finding) => {
        const start = file.lines.position(finding.range.start);
        return `${file.path}:${start.line + 1}:${start.character + 1} ${finding.code}${finding.fixes.some((fix) => fix.safety === 'safe') ? ' [*]' : ''}`;
      }));
    const notices = result.notices.map((notice) => `${notice.level}: ${notice.message}`);
    matchSnapshot(path.join(ROOT, 'test', 'fixtures', '__snapshots__', 'examples.snap'), `${[...lines, ...notices].join('\n')}\n`);
  });
});
