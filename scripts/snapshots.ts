/*
 * Where the scorecards find the real projects they read: snapshots brought
 * with the `fetch` tool (git directories under /work/.mirror, or
 * $ASYNC_LENS_MIRROR), never committed here.
 */

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MIRROR = process.env.ASYNC_LENS_MIRROR ?? '/work/.mirror';

/** `owner/name` → `name`. */
export function shortName(repo: string): string {
  return repo.split('/')[1]!;
}

/** How a scorecard names a pinned project: `name@commit12`. */
export function snapshotKey(repo: string, commit: string): string {
  return `${shortName(repo)}@${commit.slice(0, 12)}`;
}

/** The git directory holding `commit` of `repo`, or what is missing and how to get it. */
export function snapshotGitDir(repo: string, commit: string): { gitDir: string } | { problem: string } {
  const gitDir = path.join(MIRROR, repo.replace('/', '+'), 'repo');
  const how = `get it with \`git clone --mirror https://github.com/${repo} ${gitDir}\` (any clone or snapshot whose git directory holds ${commit})`;
  if (!fs.existsSync(gitDir)) return { problem: `${repo}: no snapshot at ${gitDir}: ${how}` };
  try {
    execFileSync('git', ['-C', gitDir, 'cat-file', '-e', `${commit}^{commit}`], { stdio: 'ignore' });
  } catch {
    return { problem: `${repo}: the snapshot at ${gitDir} lacks commit ${commit}: ${how}` };
  }
  return { gitDir };
}
