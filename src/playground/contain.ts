/*
 * Keeps every process of a run together, so that the end of the run can kill
 * them all, even those that left its process group: a new session
 * (`start_new_session=True`, `setsid`), a double fork, Node's
 * `spawn(…, { detached: true })`. Linux only; elsewhere the runner's
 * process-group kill is all there is.
 *
 * Two marks, both used at the end of every run:
 *  - the environment variable ASYNC_LENS_RUN=<run id>, which everything the
 *    snippet starts inherits: /proc/<pid>/environ (the environment a process
 *    was started with) names the run's processes, and a scan kills them until
 *    none is left;
 *  - a cgroup v2 of the run's own, when the editor's cgroup is writable (root,
 *    or a delegated systemd user slice): every descendant stays in it whatever
 *    its environment, and `cgroup.kill` ends them all at once.
 * What can still escape: without a cgroup, a process started with a cleared or
 * replaced environment (`env -i`, `execve` with an environment of its own);
 * with one, a process that moves itself into another cgroup it may write to.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

const MARKER = 'ASYNC_LENS_RUN';
/** Rounds of killing before giving up: each kills what it found, and a process may fork again before its signal lands. */
const MAX_ROUNDS = 100;
const ROUND_PAUSE_MS = 10;

const pause = () => new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Containment {
  /** The environment that marks the run's processes. */
  readonly env: Readonly<Record<string, string>>;
  private cgroup: string | undefined;

  /** @param cgroup false to rely on the environment mark alone (the tests check each way) */
  constructor(
    private readonly id: string,
    { cgroup = true }: { readonly cgroup?: boolean } = {},
  ) {
    this.env = { [MARKER]: id };
    if (cgroup && process.platform === 'linux') this.cgroup = makeCgroup(id);
  }

  /** How this run's processes are found at its end. */
  get mechanism(): 'cgroup' | 'environment' | 'process group' {
    return this.cgroup ? 'cgroup' : process.platform === 'linux' ? 'environment' : 'process group';
  }

  /**
   * Moves the run's first process into the cgroup, right after it was
   * spawned: the interpreter takes milliseconds to start, long before the
   * snippet can start anything of its own (and the environment mark catches
   * what might).
   */
  adopt(pid: number): void {
    if (!this.cgroup) return;
    try {
      fs.writeFileSync(path.join(this.cgroup, 'cgroup.procs'), String(pid));
    } catch {
      // Not allowed to move processes there after all: the environment mark does the work.
      try {
        fs.rmdirSync(this.cgroup);
      } catch {
        // An empty cgroup left behind costs nothing.
      }
      this.cgroup = undefined;
    }
  }

  /** Kills every process of the run; resolves once none is left, with what could not be done (it never rejects). */
  async sweep(): Promise<string[]> {
    if (process.platform !== 'linux') return [];
    const problems: string[] = [];
    try {
      if (this.cgroup) await this.emptyCgroup(problems);
      await this.killMarked(problems);
    } catch (error) {
      problems.push(`Ending the run's processes failed: ${describe(error)}`);
    }
    return problems;
  }

  private async emptyCgroup(problems: string[]): Promise<void> {
    const cgroup = this.cgroup!;
    try {
      await fs.promises.writeFile(path.join(cgroup, 'cgroup.kill'), '1');
    } catch {
      // Before Linux 5.14 there is no cgroup.kill: signal each member, round after round.
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const events = await fs.promises.readFile(path.join(cgroup, 'cgroup.events'), 'utf8');
      if (/^populated 0$/m.test(events)) {
        await fs.promises.rmdir(cgroup).catch((error: unknown) => problems.push(`The run's cgroup ${cgroup} could not be removed: ${describe(error)}`));
        return;
      }
      const pids = (await fs.promises.readFile(path.join(cgroup, 'cgroup.procs'), 'utf8')).split('\n').filter(Boolean).map(Number);
      killAll(pids);
      await pause();
    }
    problems.push(`Processes of the run in ${cgroup} outlived ${MAX_ROUNDS} rounds of SIGKILL.`);
  }

  private async killMarked(problems: string[]): Promise<void> {
    let pids: number[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      pids = await markedProcesses(this.id);
      if (pids.length === 0) return;
      killAll(pids);
      await pause();
    }
    problems.push(`Processes of the run outlived ${MAX_ROUNDS} rounds of SIGKILL: ${pids.join(', ')}.`);
  }
}

function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** Processes started with the run's mark in their environment (a zombie's environment reads empty: it is dead already). */
async function markedProcesses(id: string): Promise<number[]> {
  const mark = Buffer.from(`${MARKER}=${id}\0`);
  const names = (await fs.promises.readdir('/proc')).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  const found = await Promise.all(
    names.map(async (name) => {
      try {
        return (await fs.promises.readFile(`/proc/${name}/environ`)).includes(mark) ? Number(name) : undefined;
      } catch {
        // Gone, or another user's.
        return undefined;
      }
    }),
  );
  return found.filter((pid): pid is number => pid !== undefined);
}

/** The memory a process holds now (its resident set), in bytes; undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The folder of this process's cgroup v2, if this process may make cgroups under it; found once. */
let ownCgroup: string | null | undefined;

function makeCgroup(id: string): string | undefined {
  ownCgroup ??= findOwnCgroup() ?? null;
  if (!ownCgroup) return undefined;
  const cgroup = path.join(ownCgroup, `async-lens-${id}`);
  try {
    fs.mkdirSync(cgroup);
    return cgroup;
  } catch {
    return undefined;
  }
}

function findOwnCgroup(): string | undefined {
  try {
    const own = /^0::(\/.*)$/m.exec(fs.readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    // mountinfo: id parent major:minor root mount-point options… - type source options
    const mount = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup2');
    if (own === undefined || !mount || !own.startsWith(mount[3]!)) return undefined;
    const folder = path.join(mount[4]!, path.relative(mount[3]!, own));
    fs.accessSync(path.join(folder, 'cgroup.procs'), fs.constants.W_OK);
    return folder;
  } catch {
    return undefined;
  }
}
