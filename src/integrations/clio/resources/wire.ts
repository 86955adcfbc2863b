import { z } from 'zod';
import { type CustomFieldValue } from '../../../domain/clio/custom-field-value';
import { currencyCode, money, UnknownCurrencyError, type Money } from '../../../domain/clio/money';

/**
 * Pieces of Clio's wire format shared by the resource schemas. Clio's OpenAPI document marks nothing
 * nullable yet answers null now and then, and leaves absent values out: every optional field accepts both.
 */
export const id = z.union([z.number().int(), z.string()]).transform((v) => String(v));
export const optId = id.nullish();
export const str = z.string().nullish();
export const num = z.number().nullish();
export const bool = z.boolean().nullish();
/** A linked record (`matter{id}`), possibly with a name. */
export const link = z.looseObject({ id: optId, name: str }).nullish();
/** Money as Clio sends it: a decimal number (sometimes a string). */
export const decimal = z.union([z.number(), z.string().regex(/^-?\d*(\.\d+)?$/)]).nullish();
/**
 * `currency` is a code on some records and a `{id, code, sign}` link on others. A code that is no ISO 4217
 * currency with minor units makes the answer unreadable (its amounts cannot be counted), never cents by default.
 */
export const currency = z
  .union([z.string(), z.looseObject({ code: z.string().nullish() })])
  .nullish()
  .transform((c, ctx) => {
    const code = typeof c === 'string' ? c : (c?.code ?? undefined);
    if (code === undefined) return undefined;
    try {
      return currencyCode(code);
    } catch (err) {
      if (!(err instanceof UnknownCurrencyError)) throw err;
      ctx.issues.push({ code: 'custom', message: err.message, input: c });
      return z.NEVER;
    }
  });

export const und = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
export const linkId = (l: { id?: string | null } | null | undefined): string | undefined => und(l?.id);

export function toMoney(value: number | string | null | undefined, cur: string): Money | undefined {
  return value === null || value === undefined || value === '' ? undefined : money(value, cur);
}

export const externalProperties = z
  .array(z.looseObject({ name: z.string(), value: z.string().nullish() }))
  .nullish()
  .transform((list) => Object.fromEntries((list ?? []).map((p) => [p.name, p.value ?? ''])));

export const customFieldValues = z
  .array(
    z.looseObject({
      id: z.union([z.string(), z.number()]).nullish(),
      field_name: str,
      field_type: str,
      value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
      custom_field: link,
    }),
  )
  .nullish()
  .transform((list): CustomFieldValue[] =>
    (list ?? []).map((v) => ({
      id: v.id === null || v.id === undefined ? null : String(v.id),
      customFieldId: linkId(v.custom_field),
      name: und(v.field_name),
      fieldType: und(v.field_type),
      value: v.value === null || v.value === undefined ? null : String(v.value),
    })),
  );

export const CUSTOM_FIELD_VALUE_FIELDS = 'custom_field_values{id,field_name,field_type,value,custom_field}';
