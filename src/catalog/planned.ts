import type { PlannedRule } from '../engine/registry';

/**
 * Catalog codes no frontend implements yet for some language. A code nothing
 * implements declares its identity here; once one frontend implements it,
 * the identity comes from that rule's own `meta` and only the languages still
 * to come stay listed. The catalog test checks both directions.
 */
export const PLANNED_RULES: readonly PlannedRule[] = [
];
