/**
 * iManage search semantics on stored profiles: lookup and text custom fields need the exact value (no partial
 * match, no wildcard), everything compares case-insensitively, `name` matches whole words.
 */
export type Filters = Record<string, string | undefined>;
type Profile = Record<string, unknown>;

const EXACT_FIELDS = ['owner', 'author', 'operator', 'last_user', 'class', 'subclass', 'type', 'extension'];
const LOOKUP_CUSTOMS = [...range(1, 16), 29, 30].map((n) => `custom${n}`);
const NUMBER_CUSTOMS = range(17, 20).map((n) => `custom${n}`);
const DATE_CUSTOMS = range(21, 24).map((n) => `custom${n}`);
const BOOLEAN_CUSTOMS = range(25, 28).map((n) => `custom${n}`);
const DATE_FIELDS = ['create_date', 'edit_date', ...DATE_CUSTOMS];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const lower = (v: unknown): string =>
  typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const words = (v: unknown): Set<string> =>
  new Set(
    lower(v)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );

function numberMatches(value: unknown, expr: string): boolean {
  if (typeof value !== 'number') return false;
  const range = /^(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)$/.exec(expr);
  if (range) return value >= Number(range[1]) && value <= Number(range[2]);
  const op = /^([<>=]?)(-?\d+(?:\.\d+)?)$/.exec(expr);
  if (!op) return false;
  const n = Number(op[2]);
  return op[1] === '<' ? value < n : op[1] === '>' ? value > n : value === n;
}

function textAnywhere(p: Profile, term: string): boolean {
  const hay = [
    'name',
    'description',
    'comment',
    ...LOOKUP_CUSTOMS,
    ...LOOKUP_CUSTOMS.map((c) => `${c}_description`),
  ];
  return hay.some((k) => lower(p[k]).includes(term));
}

/** True when the profile satisfies every filter given; unknown filter names are ignored, as lenient servers do. */
export function matches(p: Profile, f: Filters): boolean {
  for (const [key, raw] of Object.entries(f)) {
    if (raw === undefined || raw === '') continue;
    const want = raw.toLowerCase();
    if (key === 'name') {
      // The query is cut into words as the name is (commas, spaces and other punctuation separate them), so a
      // name's own text always finds it: `Smith & Co. - Merger (2024)` is the words smith, co, merger, 2024.
      const have = words(p.name);
      const wanted = words(want);
      // A name of punctuation alone has no words; then only the same text matches.
      if (wanted.size === 0 ? lower(p.name).trim() !== want.trim() : ![...wanted].every((t) => have.has(t)))
        return false;
    } else if (key === 'description') {
      if (!lower(p.description).includes(want)) return false;
    } else if (key === 'name_or_description') {
      if (!lower(p.name).includes(want) && !lower(p.description).includes(want)) return false;
    } else if (key === 'comments') {
      if (!lower(p.comment).includes(want)) return false;
    } else if (key === 'anywhere') {
      if (!textAnywhere(p, want)) return false;
    } else if (EXACT_FIELDS.includes(key) || LOOKUP_CUSTOMS.includes(key)) {
      if (lower(p[key]) !== want) return false;
    } else if (NUMBER_CUSTOMS.includes(key)) {
      if (!numberMatches(p[key], raw)) return false;
    } else if (BOOLEAN_CUSTOMS.includes(key)) {
      if ((p[key] === true) !== (want === 'true')) return false;
    } else if (key.endsWith('_from') || key.endsWith('_to')) {
      const field = key.replace(/_(from|to)$/, '');
      if (!DATE_FIELDS.includes(field)) continue;
      const have = typeof p[field] === 'string' ? Date.parse(p[field]) : NaN;
      const bound = Date.parse(raw);
      if (Number.isNaN(have) || Number.isNaN(bound)) return false;
      if (key.endsWith('_from') ? have < bound : have > bound) return false;
    }
  }
  return true;
}
