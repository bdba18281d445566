import { RuleRegistry } from '../engine/registry';
import { JS_RULES } from '../js/rules';
import { PYTHON_RULES } from '../python/rules';
import { PLANNED_RULES } from './planned';

/**
 * The rule catalog every host reads (`async-lens rules`, settings
 * validation, docs links): the implemented rules' own metadata plus the
 * planned codes. Frontends sit below it; hosts above.
 */
export const CATALOG = new RuleRegistry([...PYTHON_RULES, ...JS_RULES].map((rule) => rule.meta), PLANNED_RULES);
