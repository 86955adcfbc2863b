/** `LIB!number.version`, or `LIB!number` for the latest version (iManage's own id forms). */
export interface DocumentRef {
  library: string;
  number: number;
  version?: number;
}

const PATTERN = /^([^!\s]+)!(\d+)(?:\.(\d+))?$/;

export function parseDocumentId(id: string): DocumentRef {
  const m = PATTERN.exec(id);
  if (!m) throw new Error(`not an iManage document id: ${id}`);
  return {
    library: m[1] as string,
    number: Number(m[2]),
    version: m[3] === undefined ? undefined : Number(m[3]),
  };
}

export function formatDocumentId(ref: DocumentRef): string {
  return ref.version === undefined
    ? `${ref.library}!${ref.number}`
    : `${ref.library}!${ref.number}.${ref.version}`;
}
