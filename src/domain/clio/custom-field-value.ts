/**
 * A custom field value on a matter or contact. `id` is the value instance (`text_line-12`), null for a
 * displayed field with no value yet; `customFieldId` is the definition. Writing one where the other
 * belongs is Clio's best-known trap, hence two distinct names.
 */
export interface CustomFieldValue {
  id: string | null;
  customFieldId?: string;
  name?: string;
  fieldType?: string;
  /** As Clio sends it (always a string or null on the wire). */
  value: string | null;
}
