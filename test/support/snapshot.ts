import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * Committed snapshots. A missing snapshot always fails; snapshots are written
 * only with UPDATE_SNAPSHOTS=1 (review the diff before committing).
 */

export function updating(): boolean {
  return process.env.UPDATE_SNAPSHOTS === '1';
}

/** Compares `actual` with the committed snapshot file, or writes it with UPDATE_SNAPSHOTS=1. */
export function matchSnapshot(file: string, actual: string): void {
  if (updating()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== actual) fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `snapshot ${file} is missing: run the tests with UPDATE_SNAPSHOTS=1, review it and commit it`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `snapshot ${path.basename(file)} differs (UPDATE_SNAPSHOTS=1 to accept, after review)`);
}

/**
 * Snapshot files in `directory` that no test writes any more (their fixture
 * was renamed or removed). With UPDATE_SNAPSHOTS=1 they are deleted.
 */
export function orphanedSnapshots(directory: string, expected: ReadonlySet<string>): string[] {
  const orphans = fs.readdirSync(directory).filter((file) => file.endsWith('.snap') && !expected.has(file));
  if (updating()) for (const file of orphans) fs.rmSync(path.join(directory, file));
  return updating() ? [] : orphans;
}
