/*
 * Writes the TextMate injection grammars in syntaxes/ that give suspension
 * points (`await`, `async for`, `async with`, `for await`, and `yield` in async
 * generators) a scope of their own. Run `npx tsx scripts/build-grammars.ts`
 * after editing; test/unit/grammar.test.ts fails while the committed JSON and
 * this file disagree. syntaxes/README.md says what each scope means.
 *
 * Three facts about VS Code's TextMate engine (vscode-textmate) shape them:
 *
 * - An injection grammar has one selector for all its patterns. Marking
 *   keywords only in async code, while still finding function boundaries in
 *   sync code, therefore takes two grammars per language.
 * - Inside an injection grammar `$base` means the injection itself, not the
 *   grammar it is injected into, so a region that must keep the language's
 *   own highlighting includes that grammar by name (`source.ts#...`). One
 *   grammar can only serve one language; the JavaScript family gets a pair of
 *   grammars per language.
 * - A zero-width region begin that matches again at the same place makes the
 *   engine give up on the rest of the line. Every region here either consumes
 *   text, or starts only where its own grammar is switched off inside it, or
 *   is guarded with `(?!\G)`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ASYNC_CONTEXT = 'meta.suspension-context.async.async-lens';
const SYNC_CONTEXT = 'meta.suspension-context.sync.async-lens';

type SuspensionKind = 'await' | 'async-for' | 'async-with' | 'for-await' | 'yield';

function suspensionScope(kind: SuspensionKind): string {
  return `keyword.control.suspension.${kind}.async-lens`;
}

/**
 * The name of a marked keyword: the suspension scope, then the scope the
 * base grammar gives the keyword. The base scope stays innermost so that a
 * theme's most specific rule for it still decides the colour (were ours
 * innermost, a theme's rule for `keyword.control` or `keyword` would match
 * it and win over one for `keyword.control.flow`).
 */
function marked(kind: SuspensionKind, baseScope: string): string {
  return `${suspensionScope(kind)} ${baseScope}`;
}

type Rule = Record<string, unknown>;

interface GrammarFile {
  /** Path relative to the repository root. */
  file: string;
  scopeName: string;
  injectTo: string[];
  grammar: Rule;
}

/**
 * A scope selector that holds when, of the scopes in `pairs` on the stack,
 * the innermost is not a closer (or there is none). Each pair is a closer and
 * an opener that can appear directly inside it (a string and an expression
 * embedded in it). Selectors only test for subsequences, so this spells out
 * every chain of up to `depth` pairs; deeper nesting counts as closed.
 */
function innermostIsNot(pairs: [closer: string, opener: string][], depth: number): string {
  const closers = [...new Set(pairs.map(([closer]) => closer))];
  const terms: string[] = [];
  let chains: string[][] = [[]];
  for (let level = 0; level <= depth; level++) {
    for (const chain of chains) {
      const exclusions = closers.map((closer) => `-(${[...chain, closer].join(' ')})`);
      terms.push(`(${[...chain, ...exclusions].join(' ')})`);
    }
    chains = chains.flatMap((chain) => pairs.map((pair) => [...chain, ...pair]));
  }
  return `(${terms.join(' | ')})`;
}

const NOT_IN_SYNC_FUNCTION = innermostIsNot([[SYNC_CONTEXT, ASYNC_CONTEXT]], 3);

/* ---------------------------------------------------------------- Python */

/**
 * A `def`, `async def` or `class` block: from the start of its line to the
 * next non-blank, non-comment line indented no deeper than the header.
 * `lineStart` is `^` for blocks found by the module region and `^(?!\G)`
 * for blocks found inside another block, where a header at column 0 would
 * otherwise match again at the same place right after the block began.
 */
function pythonBlock(context: string, header: string, lineStart: string): Rule {
  return {
    name: context,
    // Zero-width, so that the base grammar's rule for the header (which
    // scopes the indentation too) starts at the same place.
    begin: String.raw`${lineStart}(?=([ \t]*)${header})`,
    end: String.raw`^(?!\G)(?=[ \t]*[^ \t\n#])(?!\1[ \t])`,
    patterns: [{ include: '#nested-blocks' }, { include: 'source.python' }],
  };
}

function pythonBlocks(lineStart: string): Rule {
  return {
    patterns: [
      pythonBlock(ASYNC_CONTEXT, String.raw`async[ \t]+def\b`, lineStart),
      pythonBlock(SYNC_CONTEXT, String.raw`def\b`, lineStart),
      pythonBlock(SYNC_CONTEXT, String.raw`class\b`, lineStart),
    ],
  };
}

function pythonGrammar(): GrammarFile {
  const keyword = 'keyword.control.flow.python';
  const asyncPair = (kind: SuspensionKind) => ({
    1: { name: marked(kind, keyword) },
    2: { name: marked(kind, keyword) },
  });
  return {
    file: 'syntaxes/python-suspension.tmLanguage.json',
    scopeName: 'async-lens.suspension.python',
    injectTo: ['source.python'],
    grammar: {
      injectionSelector: `L:source.python ${NOT_IN_SYNC_FUNCTION} -comment -string`,
      patterns: [
        { include: '#module' },
        { include: '#async-for' },
        { include: '#async-with' },
        { include: '#await' },
        { include: '#yield' },
      ],
      repository: {
        // One unnamed region around the whole file, so that blocks are found
        // by region patterns (which lose to a block's end on the same
        // column) rather than by injected ones (which would win and nest).
        module: {
          begin: String.raw`\A(?!\G)`,
          end: '(?!)',
          patterns: [{ include: '#top-blocks' }, { include: 'source.python' }],
        },
        'top-blocks': pythonBlocks('^'),
        'nested-blocks': pythonBlocks(String.raw`^(?!\G)`),
        'async-for': {
          // Consuming `for` keeps the base grammar's `for ... in` rule from
          // starting, so this stands in for it, up to and including `in`.
          begin: String.raw`\b(?<!\.)(async)[ \t]+(for)\b`,
          beginCaptures: asyncPair('async-for'),
          end: String.raw`\bin\b`,
          endCaptures: { 0: { name: keyword } },
          patterns: [{ include: 'source.python#expression' }],
        },
        'async-with': {
          match: String.raw`\b(?<!\.)(async)[ \t]+(with)\b`,
          captures: asyncPair('async-with'),
        },
        await: {
          match: String.raw`\b(?<!\.)await\b(?!\s*:)`,
          name: marked('await', keyword),
        },
        yield: {
          // `yield from` is a syntax error in an async generator.
          match: String.raw`\b(?<!\.)yield\b(?!\s+from\b)(?!\s*:)`,
          name: marked('yield', keyword),
        },
      },
    },
  };
}

/* ---------------------------------------------------- JavaScript family */

interface JsLanguage {
  /** Short name used in file and scope names. */
  id: 'js' | 'jsx' | 'ts' | 'tsx';
  /** Root scope of the base grammar. */
  source: string;
  /** What the base grammar appends to its scope names. */
  suffix: string;
  /**
   * VS Code also injects into every scope that extends the target's name, so
   * the `source.js` grammars reach `source.js.jsx` files too; they step aside there.
   */
  excludes?: string;
}

const JS_LANGUAGES: JsLanguage[] = [
  { id: 'js', source: 'source.js', suffix: 'js', excludes: 'source.js.jsx' },
  { id: 'jsx', source: 'source.js.jsx', suffix: 'js.jsx' },
  { id: 'ts', source: 'source.ts', suffix: 'ts' },
  { id: 'tsx', source: 'source.tsx', suffix: 'tsx' },
];

/** Not preceded by an identifier character or a member access dot. */
const WORD_START = String.raw`(?<![$_[:alnum:]])(?:(?<=\.\.\.)|(?<!\.))`;
const IDENTIFIER = String.raw`[$_[:alpha:]][$_[:alnum:]]*`;
/** A parameter list on one line, allowing one level of nested parentheses. */
const PARAMETERS = String.raw`\((?:[^()]|\([^()]*\))*\)`;
const TYPE_PARAMETERS = String.raw`(?:<[^()]*>\s*)?`;
/**
 * What precedes a `function` or `class` keyword that starts an expression
 * rather than a declaration (the base grammar scopes the two differently).
 * Each alternative has a fixed length, as lookbehind requires.
 */
const EXPRESSION_POSITION = String.raw`(?<=[=(,:?\[!&|+\-*%<>~^]|[=(,:?\[!&|+\-*%<>~^]\s|=>\s|\breturn\s|\byield\s|\bawait\s|\bdefault\s|\bnew\s|\bthrow\s|\bcase\s|\bvoid\s)`;
/** Words that can stand where a method name would, before `(...) {`. */
const STATEMENT_WORDS = 'if|for|while|switch|catch|with|function|return|typeof|void|await|yield|new|delete|in|of|do|else|try|finally|super|this|import|export|case|throw';
/**
 * An arrow function's expression body ends at a delimiter of the enclosing
 * construct, after a block body, or at the end of the line (a body that goes
 * on to the next line is left to the enclosing context).
 */
const ARROW_END = String.raw`(?!\G)(?:(?<=\})|(?=[,;)\]}:])|$)`;

/**
 * Where an async region has just consumed `async`, the base grammar's rule
 * for the rest of the function starts; a sync region must not start there.
 */
const NOT_AFTER_ASYNC = String.raw`(?<!\basync|\basync\s|\basync\s\s)`;

/** Scopes where starting a region would swap type rules for expression rules. */
const TYPE_POSITIONS = '-meta.type -meta.return.type -meta.interface';

/**
 * Code positions: outside comments, and outside text unless inside an
 * expression embedded in it. `also` comes first: the engine tests the parts
 * in order at every step, and stops at the first that fails.
 */
function codeSelector(language: JsLanguage, also = ''): string {
  const text = innermostIsNot(
    [
      ['string', 'meta.template.expression'],
      ['meta.jsx.children', 'meta.embedded.expression'],
    ],
    2,
  );
  const excludes = language.excludes ? ` -${language.excludes}` : '';
  return `L:${language.source}${excludes}${also ? ` ${also}` : ''} -comment ${text} ${TYPE_POSITIONS}`;
}

/** A region around one construct of the base grammar, ending as soon as that construct does. */
function around(language: JsLanguage, context: string, begin: string, rules: string[], beginCaptures?: Rule): Rule {
  return {
    name: context,
    begin,
    ...(beginCaptures ? { beginCaptures } : {}),
    end: String.raw`(?!\G)`,
    patterns: rules.map((rule) => ({ include: `${language.source}#${rule}` })),
  };
}

function arrowRegion(language: JsLanguage, context: string, begin: string, beginCaptures?: Rule): Rule {
  return {
    name: context,
    begin,
    ...(beginCaptures ? { beginCaptures } : {}),
    end: ARROW_END,
    patterns: [{ include: `${language.source}#arrow-function` }, { include: `${language.source}#expression` }],
  };
}

/**
 * Async functions, methods and arrows. Each region consumes the `async`
 * keyword (and any modifiers before it), so it cannot match again where it
 * began, and the base grammar's rule for the rest starts right after it.
 */
function jsAsyncContextGrammar(language: JsLanguage): GrammarFile {
  const s = language.suffix;
  const modifier = { name: `storage.modifier.${s}` };
  const asyncModifier = { name: `storage.modifier.async.${s}` };
  return {
    file: `syntaxes/${language.id}-async-context.tmLanguage.json`,
    scopeName: `async-lens.async-context.${language.id}`,
    injectTo: [language.source],
    grammar: {
      injectionSelector: codeSelector(language),
      patterns: [
        around(language, ASYNC_CONTEXT, String.raw`(?=async\s+function\b)${EXPRESSION_POSITION}(async)\s+`, ['function-expression'], {
          0: { name: `meta.function.expression.${s}` },
          1: asyncModifier,
        }),
        around(
          language,
          ASYNC_CONTEXT,
          String.raw`(?=(?:export|declare|async)\b)${WORD_START}(?:(export)\s+)?(?:(declare)\s+)?(async)\s+(?=function\b)`,
          ['function-declaration'],
          { 0: { name: `meta.function.${s}` }, 1: { name: `keyword.control.export.${s}` }, 2: modifier, 3: asyncModifier },
        ),
        around(
          language,
          ASYNC_CONTEXT,
          String.raw`(?=(?:override|public|private|protected|abstract|async)\b)${WORD_START}(?:(override)\s+)?(?:(public|private|protected)\s+)?(?:(abstract)\s+)?(async)\s+(?=(?:\*\s*)?(?!function\b)(?:${IDENTIFIER}|'[^']*'|"[^"]*"|\[[^\]]*\]|\d[\w.]*)\s*\??\s*${TYPE_PARAMETERS}\()`,
          ['method-declaration', 'object-literal-method-declaration'],
          { 0: { name: `meta.method.declaration.${s}` }, 1: modifier, 2: modifier, 3: modifier, 4: asyncModifier },
        ),
        around(
          language,
          ASYNC_CONTEXT,
          String.raw`(?=async\b)${WORD_START}(async)\s+(?:(\*)\s*)?#(?=${IDENTIFIER}\s*${TYPE_PARAMETERS}\()`,
          ['method-declaration'],
          { 1: asyncModifier, 2: { name: `keyword.generator.asterisk.${s}` } },
        ),
        // `async x =>`: the base grammar scopes this head as one match, so it is consumed whole.
        arrowRegion(language, ASYNC_CONTEXT, String.raw`(?=async\b)${WORD_START}(async)\s+(${IDENTIFIER})\s*(?==>)`, {
          0: { name: `meta.arrow.${s}` },
          1: asyncModifier,
          2: { name: `variable.parameter.${s}` },
        }),
        // `async (...) =>`, also with type parameters.
        arrowRegion(
          language,
          ASYNC_CONTEXT,
          String.raw`(?=async\b)${WORD_START}(async)(?=\s*${TYPE_PARAMETERS}${PARAMETERS}\s*(?::[^;]*?)?=>)`,
          { 0: { name: `meta.arrow.${s}` }, 1: asyncModifier },
        ),
      ],
    },
  };
}

/**
 * Suspension points, and the sync functions inside which they are not: both
 * apply only where the innermost function is not sync, so a sync region,
 * once begun, switches this grammar off and cannot begin again in place.
 */
function jsSuspensionGrammar(language: JsLanguage): GrammarFile {
  const s = language.suffix;
  const source = language.source;
  return {
    file: `syntaxes/${language.id}-suspension.tmLanguage.json`,
    scopeName: `async-lens.suspension.${language.id}`,
    injectTo: [language.source],
    grammar: {
      injectionSelector: codeSelector(language, NOT_IN_SYNC_FUNCTION),
      patterns: [
        { include: '#for-await' },
        { include: '#await' },
        { include: '#yield' },
        { include: '#sync-functions' },
      ],
      repository: {
        'for-await': {
          // Consuming `for` keeps the base grammar's loop rule from starting,
          // so this stands in for it: the keywords, then the parenthesised head.
          begin: String.raw`${WORD_START}(for)\s+(await)(?=\s*\()`,
          beginCaptures: {
            1: { name: marked('for-await', `keyword.control.loop.${s}`) },
            2: { name: marked('for-await', `keyword.control.loop.${s}`) },
          },
          end: String.raw`(?<=\))`,
          patterns: [
            { include: `${source}#comment` },
            {
              begin: String.raw`\(`,
              beginCaptures: { 0: { name: `meta.brace.round.${s}` } },
              end: String.raw`\)`,
              endCaptures: { 0: { name: `meta.brace.round.${s}` } },
              patterns: [
                { include: `${source}#var-expr` },
                { include: `${source}#expression` },
                { include: `${source}#punctuation-semicolon` },
              ],
            },
          ],
        },
        await: {
          // `await using` declarations belong to the base grammar's declaration rule.
          match: String.raw`${WORD_START}(await)(?![$_[:alnum:]])(?:(?=\.\.\.)|(?!\.))(?!\s+using\s+[$_[:alpha:]])(?!\s*:)`,
          captures: { 1: { name: marked('await', `keyword.control.flow.${s}`) } },
        },
        yield: {
          match: String.raw`${WORD_START}(yield)(?![$_[:alnum:]])(?:(?=\.\.\.)|(?!\.))(?:\s*(\*))?`,
          captures: {
            1: { name: marked('yield', `keyword.control.flow.${s}`) },
            2: { name: `keyword.generator.asterisk.${s}` },
          },
        },
        'sync-functions': {
          patterns: [
            around(language, SYNC_CONTEXT, String.raw`(?=function\b)${EXPRESSION_POSITION}${NOT_AFTER_ASYNC}`, ['function-expression']),
            around(
              language,
              SYNC_CONTEXT,
              String.raw`(?=(?:export|declare|function)\b)(?=(?:export\s+)?(?:declare\s+)?function\b)${WORD_START}${NOT_AFTER_ASYNC}`,
              ['function-declaration'],
            ),
            around(language, SYNC_CONTEXT, String.raw`(?=(?:abstract|class)\b)(?=(?:abstract\s+)?class\b(?=\s|[<{]|/[*/]))${EXPRESSION_POSITION}`, ['class-expression']),
            around(
              language,
              SYNC_CONTEXT,
              String.raw`(?=(?:export|declare|abstract|class)\b)(?=(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?class\b(?=\s|/[*/]))${WORD_START}`,
              ['class-declaration'],
            ),
            // Methods of object literals (class bodies are sync contexts already):
            // a name and a parameter list followed by a body, first on its line
            // or after `{` or `,`. The leading whitespace is consumed because the
            // base grammar's rule may start anywhere in it.
            around(
              language,
              SYNC_CONTEXT,
              String.raw`(?:(?<=[{,])|^)[ \t]*(?=(?:[gs]et\s+)?(?:\*\s*)?(?!(?:${STATEMENT_WORDS})\b)(?:${IDENTIFIER}|'[^']*'|"[^"]*"|\[[^\]]*\]|\d[\w.]*)\s*\??\s*${TYPE_PARAMETERS}${PARAMETERS}\s*(?::[^{};=]*)?\{)`,
              ['object-literal-method-declaration', 'method-declaration'],
            ),
            arrowRegion(language, SYNC_CONTEXT, String.raw`(?=${IDENTIFIER}\s*=>)(?!(?:async|await|yield)\s*=>)${WORD_START}`),
            arrowRegion(
              language,
              SYNC_CONTEXT,
              String.raw`(?=\s*${TYPE_PARAMETERS}${PARAMETERS}\s*(?::[^;]*?)?=>)(?<![\]!)}$_[:alnum:]])${NOT_AFTER_ASYNC}`,
            ),
          ],
        },
      },
    },
  };
}

/* ---------------------------------------------------------------- output */

export function grammarFiles(): GrammarFile[] {
  return [pythonGrammar(), ...JS_LANGUAGES.flatMap((language) => [jsAsyncContextGrammar(language), jsSuspensionGrammar(language)])];
}

export function render(file: GrammarFile): string {
  const grammar = { $schema: 'https://json.schemastore.org/tmlanguage.json', scopeName: file.scopeName, ...file.grammar };
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

/** The `contributes.grammars` entries for package.json. */
export function contributions(): { scopeName: string; path: string; injectTo: string[] }[] {
  return grammarFiles().map((file) => ({ scopeName: file.scopeName, path: `./${file.file}`, injectTo: file.injectTo }));
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  for (const file of grammarFiles()) {
    fs.writeFileSync(path.join(root, file.file), render(file));
  }
  process.stdout.write(`${JSON.stringify(contributions(), null, 2)}\n`);
}

if (require.main === module) {
  main();
}
