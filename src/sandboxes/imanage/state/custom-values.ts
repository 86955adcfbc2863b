import { unprocessable } from '../errors';
import { getCustom1, getCustom2 } from './customs-repo';
import { type Db } from './db';

export type CustomValue = string | number | boolean | null;
export type CustomValues = Partial<Record<string, CustomValue>>;

/** iManage's parent/child lookup pairs (reference §3): a child is set only together with its parent. */
const CHILD_OF: Record<string, string> = { custom2: 'custom1', custom30: 'custom29' };

const isSet = (v: CustomValue | undefined): boolean => v !== undefined && v !== null;

/**
 * Checks custom1/custom2 against their alias tables and returns profile fields with descriptions. iManage keeps
 * custom2 a child of custom1 and custom30 a child of custom29, so a child is refused unless its parent comes in
 * the same write.
 */
export function resolveCustoms(db: Db, values: CustomValues): Record<string, CustomValue> {
  const out: Record<string, CustomValue> = {};
  for (const [child, parent] of Object.entries(CHILD_OF)) {
    if (isSet(values[child]) && !isSet(values[parent])) {
      throw unprocessable(child, 'PARENT_REQUIRED', `${child} may only be set together with ${parent}.`);
    }
  }
  const c1 = values.custom1;
  const c2 = values.custom2;
  if (typeof c1 === 'string') {
    const alias = getCustom1(db, c1);
    if (!alias) throw unprocessable('custom1', 'ALIAS_NOT_FOUND', `custom1 alias '${c1}' does not exist.`);
    out.custom1 = alias.id;
    out.custom1_description = alias.description;
  }
  if (typeof c2 === 'string' && typeof c1 === 'string') {
    const alias = getCustom2(db, c2, c1);
    if (!alias) {
      throw unprocessable(
        'custom2',
        'ALIAS_NOT_FOUND',
        `custom2 alias '${c2}' does not exist under custom1 '${c1}'.`,
      );
    }
    out.custom2 = alias.id;
    out.custom2_description = alias.description;
  }
  for (const [key, value] of Object.entries(values)) {
    if (key !== 'custom1' && key !== 'custom2' && value !== undefined) out[key] = value;
  }
  return out;
}

/** Lookup values a container hands down to what is filed in it (folders and documents inherit them). */
export function inheritedCustoms(profile: Record<string, unknown>): Record<string, CustomValue> {
  const out: Record<string, CustomValue> = {};
  for (const [k, v] of Object.entries(profile)) {
    if (/^custom\d+(_description)?$/.test(k)) out[k] = v as CustomValue;
  }
  return out;
}
