/*
 * Async Lens's TypeScript language-service plugin: the JS/TS rules inside
 * tsserver, with the program's types. tsserver loads it by package name
 * (`async-lens-tsserver-plugin`: VS Code's `typescriptServerPlugins`;
 * `async-lens/tsserver-plugin` from the npm package, listed in a tsconfig's
 * `compilerOptions.plugins`), calls the function this module exports with
 * its own `typescript` module, then `create` once per project.
 *
 * It uses only the `typescript` it is handed (never an import of its own, so
 * it works with whichever TypeScript the workspace runs) and imports no other
 * host. Options: settings.ts.
 */

import * as path from 'node:path';
import type * as ts from 'typescript';
import { CATALOG } from '../../catalog';
import { docsPath } from '../../engine/rule';
import type { JsRule, TypeScript } from '../../js/rule';
import { JS_RULES } from '../../js/rules';
import { diagnosticCode } from './convert';
import { faultFromEnvironment, THROWING_RULE } from './fault';
import { decorateLanguageService, describe, supportedCodes } from './service';
import { combineLayers, readLayer, type PluginLayer, type PluginSettings, type TsserverPluginConfiguration } from './settings';
import { timingFromEnvironment } from './timing';

/** The names tsserver may load this plugin by. */
const PLUGIN_NAMES: readonly string[] = ['async-lens-tsserver-plugin', 'async-lens/tsserver-plugin'];

/**
 * Marks a language service this plugin decorates. When the plugin is loaded
 * twice into one project (VS Code's copy, and the npm package listed in the
 * tsconfig), the second copy leaves the service as it is and hands its
 * configuration to the first, so no finding is ever reported twice.
 */
const DECORATED = Symbol.for('async-lens.tsserver-plugin');

interface Decoration {
  readonly name: string;
  configure(configuration: unknown): void;
}

/** TypeScript instances our codes are registered with (see `registerSupportedCodes`). */
const registered = new WeakSet<object>();

/**
 * VS Code asks tsserver once, and without naming a file, which error codes
 * have fixes, so a plugin's `getSupportedCodeFixes` is never consulted there
 * and VS Code would never ask for our fixes. TypeScript's code-fix registry
 * is how the codes get into that answer; the registration itself offers no
 * fix (`getCodeFixesAtPosition` does). Internal to TypeScript, hence checked
 * before use: without it, editors that name the file still get our fixes.
 */
function registerSupportedCodes(typescript: TypeScript, rules: readonly JsRule[], log: (message: string) => void): void {
  if (registered.has(typescript)) return;
  registered.add(typescript);
  const codefix = (typescript as unknown as { codefix?: { registerCodeFix?(registration: unknown): void } }).codefix;
  if (typeof codefix?.registerCodeFix !== 'function') {
    log(`TypeScript ${typescript.version} has no code-fix registry: editors that ask which codes have fixes without naming a file will not offer Async Lens's fixes`);
    return;
  }
  // The registry keys codes by their string form, so a rule code (`AIT101`) is listed as it is.
  codefix.registerCodeFix({ errorCodes: supportedCodes(rules), getCodeActions: () => [] });
}

/** The plugin's entry in the project's `compilerOptions.plugins`, when the tsconfig lists it. */
function tsconfigEntry(project: ts.server.Project): unknown {
  const plugins = project.getCompilerOptions().plugins as readonly { readonly name?: unknown }[] | undefined;
  return plugins?.find((plugin) => typeof plugin?.name === 'string' && PLUGIN_NAMES.includes(plugin.name));
}

/** The link under each diagnostic to its rule's page (`docs/rules/AIT101.md`, beside dist/ in the package). */
function docsLinks(typescript: TypeScript, host: ts.server.ServerHost): (ruleCode: string) => ts.DiagnosticRelatedInformation | undefined {
  const root = path.dirname(__dirname);
  const links = new Map<string, ts.DiagnosticRelatedInformation | undefined>();
  return (ruleCode) => {
    if (!links.has(ruleCode)) {
      const file = path.join(root, ...docsPath(ruleCode).split('/'));
      const name = CATALOG.entry(ruleCode)?.name;
      links.set(ruleCode, name && host.fileExists(file) ? {
        file: typescript.createSourceFile(file, '', typescript.ScriptTarget.Latest),
        start: 0,
        length: 0,
        messageText: `${ruleCode} (${name}): what it flags, why, and how to fix it`,
        category: typescript.DiagnosticCategory.Message,
        code: diagnosticCode(ruleCode),
      } : undefined);
    }
    return links.get(ruleCode);
  };
}

/** One project's options: the tsconfig's entry, then the editor's (`configurePlugin`) on top; one object until either changes. */
class ProjectSettings {
  private entry: unknown;
  private project: PluginLayer = { lint: {}, problems: [] };
  private current: PluginSettings | undefined;

  constructor(private readonly tsProject: ts.server.Project, private editor: PluginLayer, private readonly log: (message: string) => void) {
    this.report(editor);
  }

  get(): PluginSettings {
    const entry = tsconfigEntry(this.tsProject);
    if (this.current && entry === this.entry) return this.current;
    this.entry = entry;
    this.project = readLayer(entry, 'tsconfig');
    this.report(this.project);
    return (this.current = combineLayers(this.project, this.editor));
  }

  setEditor(configuration: unknown): void {
    this.editor = readLayer(configuration, 'editor');
    this.report(this.editor);
    this.current = undefined;
  }

  private report(layer: PluginLayer): void {
    for (const problem of layer.problems) this.log(`option left out: ${problem}`);
  }
}

function init(modules: { typescript: TypeScript }): ts.server.PluginModule {
  const typescript = modules.typescript;
  let decoration: Decoration | undefined;
  let log: (message: string) => void = () => {};

  return {
    create(info) {
      log = (message: string) => info.project.projectService.logger.info(`[async-lens] ${message}`);
      const name = String(info.config?.name ?? PLUGIN_NAMES[0]);
      try {
        const existing = (info.languageService as unknown as Record<symbol, Decoration | undefined>)[DECORATED];
        if (existing) {
          log(`${name}: this project's language service is already decorated by ${existing.name}; ${name} only passes its configuration on`);
          decoration = existing;
          return info.languageService;
        }
        const fault = faultFromEnvironment();
        const rules = fault === 'rule' ? [...JS_RULES, THROWING_RULE] : JS_RULES;
        registerSupportedCodes(typescript, rules, log);
        // A configuration entry that is not the tsconfig's is the editor's: tsserver hands a plugin loaded after `configurePlugin` that configuration.
        const fromEditor = info.config === tsconfigEntry(info.project) ? undefined : info.config;
        const settings = new ProjectSettings(info.project, readLayer(fromEditor, 'editor'), log);
        const decorated = decorateLanguageService({
          ts: typescript,
          languageService: info.languageService,
          rules,
          settings: () => settings.get(),
          docs: docsLinks(typescript, info.serverHost),
          log,
          failAnalysis: fault === 'analysis',
          logTiming: timingFromEnvironment(),
        });
        decoration = {
          name,
          configure(configuration) {
            settings.setEditor(configuration);
            // Makes the editor ask for diagnostics again: the new settings show without an edit.
            if (typeof info.project.refreshDiagnostics === 'function') info.project.refreshDiagnostics();
          },
        };
        Object.defineProperty(decorated, DECORATED, { value: decoration });
        log(`${name} decorates ${info.project.getProjectName()} (TypeScript ${typescript.version})${fault ? `; injected fault: ${fault}` : ''}`);
        return decorated;
      } catch (error) {
        log(`${name} could not decorate ${info.project.getProjectName()}; TypeScript runs without it: ${describe(error)}`);
        return info.languageService;
      }
    },

    onConfigurationChanged(configuration: TsserverPluginConfiguration) {
      try {
        decoration?.configure(configuration);
      } catch (error) {
        log(`the new configuration could not be applied: ${describe(error)}`);
      }
    },
  };
}

export = init;
