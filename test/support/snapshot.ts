import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Compares `actual` with the committed snapshot file; writes it instead when
 * UPDATE_SNAPSHOTS=1 (review the diff before committing). A missing snapshot
 * fails under CI so that one can never be skipped by accident.
 */
export function matchSnapshot(file: string, actual: string): void {
  if (process.env.UPDATE_SNAPSHOTS === '1' || (!fs.existsSync(file) && !process.env.CI)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `snapshot ${file} is missing: run the tests with UPDATE_SNAPSHOTS=1 and commit it`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `snapshot ${path.basename(file)} differs (UPDATE_SNAPSHOTS=1 to accept)`);
}
