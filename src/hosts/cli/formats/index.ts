import { formatGithub } from './github';
import { formatJson } from './json';
import type { Formatter } from './report';
import { formatSarif } from './sarif';
import { formatText } from './text';

export type { Formatter, Report } from './report';

export const FORMATS = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
} as const satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
