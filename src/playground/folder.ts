/*
 * Each run's own temporary folder (the snippet's file, and its working
 * directory). Removing it must never throw into the editor: the snippet may
 * have made parts of it read-only, or left something its user cannot delete.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function makeRunFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'async-lens-run-'));
}

/**
 * Removes a run's folder, giving write permission back where the snippet took
 * it (`chmod 0o500`) if the first try fails. Resolves with a warning naming
 * the folder when it still cannot go (it is left), never rejects.
 */
export async function removeRunFolder(folder: string): Promise<string | undefined> {
  try {
    await fs.promises.rm(folder, { recursive: true, force: true });
    return undefined;
  } catch {
    // Below: once more, with permissions restored.
  }
  try {
    await allowWriting(folder);
    await fs.promises.rm(folder, { recursive: true, force: true });
    return undefined;
  } catch (error) {
    return `The run's temporary folder ${folder} could not be removed (${error instanceof Error ? error.message : String(error)}); it was left there.`;
  }
}

/** Makes every folder under `folder` (itself included) readable, writable and searchable by its owner, as far as it can. */
async function allowWriting(folder: string): Promise<void> {
  await fs.promises.chmod(folder, 0o700).catch(() => undefined);
  const entries = await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => []);
  // Dirents say what a symbolic link is, not what it points to: links are removed, never followed.
  for (const entry of entries) if (entry.isDirectory()) await allowWriting(path.join(folder, entry.name));
}
