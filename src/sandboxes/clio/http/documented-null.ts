/**
 * A `null` that Clio's documentation promises although its schemas mark nothing nullable. Rendering
 * leaves plain nulls out (an absent field is always schema-valid); this marker is the one way to send
 * a JSON null, so each use has to point at the sentence of Clio's docs that asks for it.
 */
export const DOCUMENTED_NULL: unique symbol = Symbol('documented null');
