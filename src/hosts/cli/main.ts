import { parseCommandLine } from './args';
import { checkPaths, exitCode } from './check';
import { FORMATS } from './formats';
import { HELP } from './help';
import { VERSION } from './package-info';
import { rulesTable } from './rules-table';

/** Runs one command line; resolves to the exit status. */
async function main(argv: readonly string[]): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`async-lens ${VERSION}\n`);
      return 0;
    case 'rules':
      process.stdout.write(rulesTable());
      return 0;
    case 'usage-error':
      process.stderr.write(`async-lens: error: ${command.message}\nRun \`async-lens --help\` for usage.\n`);
      return 2;
    case 'check': {
      const cwd = process.cwd();
      const result = await checkPaths(command.paths, { cwd, select: command.select, ignore: command.ignore, fix: command.fix });
      for (const notice of result.notices) process.stderr.write(`async-lens: ${notice.level}: ${notice.message}\n`);
      const status = exitCode(result);
      process.stdout.write(FORMATS[command.format]({ files: result.files, fixMode: command.fix, fixed: result.fixed, incomplete: status === 2, cwd }));
      if (command.fix && command.format !== 'text') process.stderr.write(`async-lens: fixed ${result.fixed} problem${result.fixed === 1 ? '' : 's'}\n`);
      return status;
    }
  }
}

// A closed pipe (`async-lens check | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`async-lens: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
