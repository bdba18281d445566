/*
 * Async Lens's ESLint plugin, `async-lens/eslint-plugin`: the JS/TS rules as
 * ESLint rules (one adapter each, rules.ts), typed where typescript-eslint
 * gives a program, from the syntax alone otherwise (plain JavaScript with
 * ESLint's default parser included). `configs.recommended` is a flat config
 * that registers the plugin under `async-lens` and turns every rule on at its
 * catalog severity. Imports no other host.
 */

import type { Linter } from '@typescript-eslint/utils/ts-eslint';
import { JS_RULES } from '../../js/rules';
import { name, version } from '../../../package.json';
import { createRules, eslintSeverity } from './rules';

const rules = createRules(JS_RULES);

const plugin = {
  meta: { name, version },
  rules,
  configs: {} as { recommended: Linter.ConfigType },
};

plugin.configs.recommended = {
  name: 'async-lens/recommended',
  plugins: { 'async-lens': plugin as unknown as Linter.Plugin },
  rules: Object.fromEntries(JS_RULES.map((rule) => [`async-lens/${rule.meta.name}`, eslintSeverity(rule.meta.defaultSeverity)])),
} as Linter.ConfigType;

export = plugin;
