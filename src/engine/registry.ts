import type { RuleMeta } from './rule';
import type { Language, Severity } from './types';

/**
 * A catalog code a frontend does not implement yet. A code no frontend
 * implements declares its identity here; a code some frontend implements
 * takes it from that implementation and lists only the languages to come.
 */
export type PlannedRule =
  | { readonly code: string; readonly languages: readonly Language[]; readonly name: string; readonly defaultSeverity: Severity; readonly summary: string }
  | { readonly code: string; readonly languages: readonly Language[] };

/** One code of the catalog, whatever implements it. */
export interface CatalogEntry {
  readonly code: string;
  readonly name: string;
  readonly defaultSeverity: Severity;
  readonly summary: string;
  /** Every language the code is for, implemented or planned. */
  readonly languages: readonly Language[];
  readonly implementations: ReadonlyMap<Language, RuleMeta>;
}

/**
 * The rule catalog, composed from the rules' own metadata and the planned
 * codes. Composition fails loudly (at load, so in every test run) when two
 * implementations of one code disagree on its identity, a code is both
 * implemented and planned for one language, or a planned code has no identity.
 */
export class RuleRegistry {
  readonly entries: readonly CatalogEntry[];
  private readonly byCode: ReadonlyMap<string, CatalogEntry>;

  constructor(implemented: readonly RuleMeta[], planned: readonly PlannedRule[]) {
    const drafts = new Map<string, { identity: Omit<CatalogEntry, 'languages' | 'implementations'>; languages: Language[]; implementations: Map<Language, RuleMeta> }>();
    for (const meta of implemented) {
      const draft = drafts.get(meta.code);
      if (!draft) {
        drafts.set(meta.code, {
          identity: { code: meta.code, name: meta.name, defaultSeverity: meta.defaultSeverity, summary: meta.summary },
          languages: [meta.language],
          implementations: new Map([[meta.language, meta]]),
        });
        continue;
      }
      if (draft.identity.name !== meta.name || draft.identity.defaultSeverity !== meta.defaultSeverity) {
        throw new Error(`${meta.code}: the ${meta.language} implementation disagrees with another on its name or default severity`);
      }
      if (draft.implementations.has(meta.language)) throw new Error(`${meta.code} is implemented twice for ${meta.language}`);
      draft.implementations.set(meta.language, meta);
      draft.languages.push(meta.language);
    }
    for (const rule of planned) {
      const draft = drafts.get(rule.code);
      if (draft) {
        if ('name' in rule) throw new Error(`${rule.code} is implemented: its planned entry must not restate its name, severity or summary`);
        for (const language of rule.languages) {
          if (draft.implementations.has(language)) throw new Error(`${rule.code} is both implemented and planned for ${language}`);
          draft.languages.push(language);
        }
        continue;
      }
      if (!('name' in rule)) throw new Error(`${rule.code} is planned but nothing declares its name, severity and summary`);
      drafts.set(rule.code, {
        identity: { code: rule.code, name: rule.name, defaultSeverity: rule.defaultSeverity, summary: rule.summary },
        languages: [...rule.languages],
        implementations: new Map(),
      });
    }
    this.entries = [...drafts.values()]
      .map(({ identity, languages, implementations }) => ({ ...identity, languages: [...new Set(languages)].sort(), implementations }))
      .sort((a, b) => a.code.localeCompare(b.code));
    this.byCode = new Map(this.entries.map((entry) => [entry.code, entry]));
  }

  entry(code: string): CatalogEntry | undefined {
    return this.byCode.get(code.toUpperCase());
  }

  /** The codes or prefixes of a user's list that name no catalog code, so a host can say so instead of silently ignoring them. */
  unknownCodes(patterns: readonly string[]): string[] {
    return patterns.filter((pattern) => pattern.toUpperCase() !== 'ALL' && !this.entries.some((entry) => entry.code.startsWith(pattern.toUpperCase())));
  }

  /** Whether some rule implemented for `language` matches the code or prefix. */
  runsFor(pattern: string, language: Language): boolean {
    const prefix = pattern.toUpperCase();
    return this.entries.some((entry) => entry.implementations.has(language) && (prefix === 'ALL' || entry.code.startsWith(prefix)));
  }
}
