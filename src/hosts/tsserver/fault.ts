import { defineJsRule, type JsRule } from '../../js/rule';

/*
 * For the tests only: a way to make a rule, or the plugin's whole analysis,
 * throw inside a real tsserver, to show that the plugin then degrades
 * cleanly (the other rules' findings stay; TypeScript's own results stay).
 * It is read from the tsserver process's environment, which neither VS Code
 * nor tsserver sets, so a user cannot turn it on from a settings file:
 *
 *   ASYNC_LENS_TSSERVER_FAULT=rule       adds a rule (AIT000) that throws on every file
 *   ASYNC_LENS_TSSERVER_FAULT=analysis   the analysis throws before any rule runs
 */

export type Fault = 'rule' | 'analysis';

export const FAULT_VARIABLE = 'ASYNC_LENS_TSSERVER_FAULT';

export function faultFromEnvironment(environment: NodeJS.ProcessEnv = process.env): Fault | undefined {
  const value = environment[FAULT_VARIABLE];
  return value === 'rule' || value === 'analysis' ? value : undefined;
}

/** The rule `ASYNC_LENS_TSSERVER_FAULT=rule` adds: it throws on the first node it sees. */
export const THROWING_RULE: JsRule = defineJsRule({
  meta: {
    code: 'AIT000',
    name: 'injected-fault',
    language: 'javascript',
    defaultSeverity: 'error',
    summary: 'Throws on every file (tests only).',
    messages: { never: 'Never reported.' },
    fix: { availability: 'never', safety: [], titles: {} },
  },
  create() {
    return {
      SourceFile() {
        throw new Error(`injected fault (${FAULT_VARIABLE}=rule)`);
      },
    };
  },
});
