import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';
import type { RuleFix, RuleFixer, RuleModule, SourceCode, SuggestionReportDescriptor } from '@typescript-eslint/utils/ts-eslint';
import type { RuleMeta } from '../../engine/rule';
import type { Finding, Fix, Severity } from '../../engine/types';
import type { JsRule } from '../../js/rule';
import { ruleDocsUri } from '../../project/docs-links';
import { analysisOf, enlist } from './analysis';
import { lintSettingsOf } from './settings';

/*
 * One ESLint rule per JS/TS rule, named as in the catalog
 * (`async-lens/sync-iteration-over-async-iterable`). An adapter has no rule
 * logic: it enlists its code for the file's shared analysis, then reports
 * that analysis' findings of its code, with safe fixes as ESLint fixes and
 * unsafe ones as suggestions.
 */

/** What ESLint says when our rule failed on a file: the other rules ran, this one was skipped there. */
const RULE_FAILED = 'asyncLensRuleFailed';
/** A finding whose message id is not the rule's (never expected): its text as it is, rather than nothing. */
const AS_WRITTEN = 'asyncLensMessage';

/** ESLint fills `{{name}}` placeholders as the engine does; its data are strings. */
function messageOf(meta: RuleMeta, finding: Finding): { messageId: string; data: Record<string, string> } {
  if (finding.messageId !== undefined && Object.hasOwn(meta.messages, finding.messageId)) {
    return { messageId: finding.messageId, data: Object.fromEntries(Object.entries(finding.data ?? {}).map(([key, value]) => [key, String(value)])) };
  }
  return { messageId: AS_WRITTEN, data: { message: finding.message } };
}

export type PluginRule = RuleModule<string, []>;

/** ESLint's level for a catalog severity: ESLint has no hint or info, and a `warn` is the quietest level that still shows. */
export function eslintSeverity(severity: Severity): 'error' | 'warn' {
  return severity === 'error' ? 'error' : 'warn';
}

function toFix(fix: Fix): (fixer: RuleFixer) => RuleFix[] {
  return (fixer) => fix.edits.map((edit) => fixer.replaceTextRange([edit.range.start, edit.range.end], edit.newText));
}

function locationOf(sourceCode: SourceCode, finding: Finding) {
  return { start: sourceCode.getLocFromIndex(finding.range.start), end: sourceCode.getLocFromIndex(finding.range.end) };
}

function adapter(rule: JsRule, rules: readonly JsRule[], createRule: ReturnType<typeof RuleCreator>): PluginRule {
  const { meta } = rule;
  const safety = meta.fix.safety;
  return createRule<[], string>({
    name: meta.name,
    meta: {
      type: meta.defaultSeverity === 'error' ? 'problem' : 'suggestion',
      docs: { description: meta.summary },
      messages: { ...meta.messages, [RULE_FAILED]: `Async Lens's ${meta.code} failed on this file and was skipped here: {{message}}`, [AS_WRITTEN]: '{{message}}' },
      ...(safety.includes('safe') ? { fixable: 'code' as const } : {}),
      ...(safety.includes('unsafe') ? { hasSuggestions: true } : {}),
      schema: [],
    },
    defaultOptions: [],
    create(context) {
      const sourceCode = context.sourceCode;
      const settings = lintSettingsOf(context.settings);
      enlist(sourceCode, meta.code);
      return {
        Program() {
          const analysis = analysisOf(sourceCode, context.physicalFilename, rules, settings);
          for (const error of analysis.errors) {
            if (error.code === meta.code) context.report({ loc: { line: 1, column: 0 }, messageId: RULE_FAILED, data: { message: error.message } });
          }
          for (const finding of analysis.findings) {
            if (finding.code !== meta.code) continue;
            const message = messageOf(meta, finding);
            const safe = finding.fixes.find((fix) => fix.safety === 'safe');
            const suggest: SuggestionReportDescriptor<string>[] = finding.fixes
              .filter((fix) => fix.safety === 'unsafe')
              .map((fix) => ({ desc: fix.title, fix: toFix(fix) }) as unknown as SuggestionReportDescriptor<string>);
            context.report({
              loc: locationOf(sourceCode, finding),
              messageId: message.messageId,
              data: message.data,
              ...(safe ? { fix: toFix(safe) } : {}),
              ...(suggest.length > 0 ? { suggest } : {}),
            });
          }
        },
      };
    },
  });
}

/** The plugin's rules by name, one adapter per rule of `rules` (the JS/TS rules; tests add a failing one). */
export function createRules(rules: readonly JsRule[]): Record<string, PluginRule> {
  const byName = new Map(rules.map((rule) => [rule.meta.name, rule.meta.code]));
  const createRule = RuleCreator((name) => ruleDocsUri(byName.get(name) ?? name));
  return Object.fromEntries(rules.map((rule) => [rule.meta.name, adapter(rule, rules, createRule)]));
}
