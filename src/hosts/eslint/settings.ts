import type { LintSettings } from '../../engine/config';
import { show, validateLayer } from '../../project/settings';

/**
 * What the plugin reads from ESLint's shared settings,
 * `settings: { 'async-lens': { knownAsyncIterables: [...] } }`: more APIs that
 * return async iterables (`"module#export"`, docs/known-async-iterables.md).
 * Which rules run and how severe they are is ESLint's own configuration.
 * An invalid value stops the run with a message naming it, as an invalid
 * rule option does in ESLint.
 */
export function lintSettingsOf(shared: Readonly<Record<string, unknown>> | undefined): LintSettings {
  if (!shared) return {};
  let settings = read.get(shared);
  if (!settings) read.set(shared, (settings = readSettings(shared)));
  return settings;
}

/** Each configuration's settings object, read once (every rule asks, on every file). */
const read = new WeakMap<object, LintSettings>();

function readSettings(shared: Readonly<Record<string, unknown>>): LintSettings {
  const raw = shared['async-lens'];
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`Async Lens: settings['async-lens'] must be an object such as { knownAsyncIterables: ['my-lib#stream'] }, got ${show(raw)}`);
  const unknown = Object.keys(raw).filter((key) => key !== 'knownAsyncIterables');
  if (unknown.length > 0) throw new Error(`Async Lens: settings['async-lens'].${unknown[0]} is not a setting of the ESLint plugin (it reads knownAsyncIterables; rules and severities are ESLint's own configuration)`);
  const { layer, problems } = validateLayer(raw as Record<string, unknown>, { knownAsyncIterables: "settings['async-lens'].knownAsyncIterables" });
  if (problems.length > 0) throw new Error(`Async Lens: ${problems.join('; ')}`);
  return layer.knownAsyncIterables ? { knownAsyncIterables: layer.knownAsyncIterables } : {};
}
