import { parseArgs } from 'node:util';
import { CATALOG } from '../../catalog';
import { FORMATS, isFormatName, type FormatName } from './formats';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'rules' }
  | {
      readonly kind: 'check';
      readonly paths: readonly string[];
      readonly format: FormatName;
      readonly select: readonly string[] | undefined;
      readonly ignore: readonly string[] | undefined;
      readonly fix: boolean;
    }
  /** The command line is wrong; `message` says how. */
  | { readonly kind: 'usage-error'; readonly message: string };

const COMMANDS = ['check', 'rules'];
const CHECK_ONLY = ['format', 'select', 'ignore', 'fix'] as const;

/** Reads `async-lens <command> [options] [paths…]`. Never throws. */
export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        select: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        fix: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    return { kind: 'usage-error', message: describeParseError(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...rest] = positionals;
  if (command === undefined) return { kind: 'usage-error', message: 'no command given (expected `check` or `rules`)' };
  if (!COMMANDS.includes(command)) return { kind: 'usage-error', message: `unknown command "${command}" (expected \`check\` or \`rules\`)` };

  if (command === 'rules') {
    const misplaced = CHECK_ONLY.find((option) => values[option] !== undefined);
    if (misplaced) return { kind: 'usage-error', message: `--${misplaced} applies to \`check\`, not to \`rules\`` };
    if (rest.length > 0) return { kind: 'usage-error', message: '`rules` takes no paths' };
    return { kind: 'rules' };
  }

  const format = values.format ?? 'text';
  if (!isFormatName(format)) return { kind: 'usage-error', message: `unknown format "${format}" (expected ${Object.keys(FORMATS).join(', ')})` };
  const select = codes(values.select);
  const ignore = codes(values.ignore);
  for (const [flag, list] of [['--select', select], ['--ignore', ignore]] as const) {
    if (list && list.length === 0) return { kind: 'usage-error', message: `${flag} needs at least one rule code` };
    const unknown = CATALOG.unknownCodes(list ?? []);
    if (unknown.length > 0) {
      return { kind: 'usage-error', message: `unknown rule code${unknown.length > 1 ? 's' : ''} in ${flag}: ${unknown.join(', ')} (\`async-lens rules\` lists them)` };
    }
  }
  return { kind: 'check', paths: rest, format, select, ignore, fix: values.fix ?? false };
}

/** `--select AIT101,AIT2 --select AIT301` → `['AIT101', 'AIT2', 'AIT301']`. */
function codes(values: readonly string[] | undefined): string[] | undefined {
  return values?.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean).map((code) => code.toUpperCase());
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(--?[\w-]+)/.exec(message ?? '')?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option && message?.endsWith('argument missing')) return `option ${option} needs a value`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `option ${option} takes no value`;
  return message ?? String(error);
}
