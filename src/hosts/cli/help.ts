import { FORMATS } from './formats';

export const HELP = `async-lens: find misuse of async iteration in Python, JavaScript and TypeScript code

Usage:
  async-lens check [paths…] [options]   check files and directories (default: .)
  async-lens rules                      list the rules: code, name, default severity
  async-lens --help | --version

Options for check:
  --format <name>     output format: ${Object.keys(FORMATS).join(', ')} (default: text)
  --select <codes>    run only these rules (codes or prefixes: AIT101,AIT2);
                      replaces the configured select and ignore
  --ignore <codes>    do not run these rules; added to the configured ignore
  --fix               apply safe fixes, write the files back, report what remains

Directories are searched for *.py, *.pyi, *.js, *.mjs, *.cjs, *.jsx, *.ts,
*.mts, *.cts and *.tsx files (not *.d.ts), respecting .gitignore and skipping
node_modules, .venv, venv, __pycache__ and tool caches. Files named on the
command line are always checked. A JavaScript or TypeScript file is checked
with types when its nearest tsconfig.json or jsconfig.json includes it, from
its syntax otherwise.

Configuration: [tool.async-lens] in the nearest pyproject.toml:
  select, ignore              lists of rule codes or prefixes
  severity                    table: code = "off" | "hint" | "info" | "warning" | "error"
  known-async-iterables       list of "module.function", "module.Class" or ".method"
                              (JavaScript: "module#name", "module#Class new")
  top-level-await             true for notebooks and \`python -m asyncio\` scripts
  exclude                     list of gitignore-style patterns

Suppress one finding with a comment on its line: # noqa: AIT101
(JavaScript and TypeScript: // async-lens-ignore AIT101 on it or the line above)

Exit status: 0 no findings, 1 findings, 2 usage or I/O error.
`;
