// Runs a command as the leader of its own process group and takes the whole
// group down when its owner goes away, even if the owner was SIGKILLed and
// never ran its cleanup: the owner keeps our stdin open (a pipe it never
// writes to); end of file means the owner is gone.
//
//   spawn(process.execPath, [guardian.js, command, ...args], { detached: true, stdio: ['pipe', …] })
//
// Exits with the command's exit code (128 + signal number when it was killed).

'use strict';

const { spawn } = require('node:child_process');
const os = require('node:os');

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node guardian.js <command> [args...]\n');
  process.exit(64);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

function killGroup(signal) {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // Not a group leader (started without `detached`): at least the child.
    try {
      child.kill(signal);
    } catch {
      // Gone.
    }
  }
}

let ownerGone = false;
function onOwnerGone() {
  if (ownerGone) return;
  ownerGone = true;
  process.stderr.write('[guardian] the owner is gone; stopping the process group\n');
  // SIGTERM everyone but ourselves first, then SIGKILL the group (us included).
  process.on('SIGTERM', () => {});
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 2000);
}

process.stdin.on('end', onOwnerGone);
process.stdin.on('close', onOwnerGone);
process.stdin.on('error', onOwnerGone);
process.stdin.resume();

child.on('error', (error) => {
  process.stderr.write(`[guardian] cannot start ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (ownerGone) return;
  process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
});
