import { LIBRARY } from '../config';

/** Ids and links depend only on the configured public URL, never on the request, so dumps stay deterministic. */
export interface Links {
  containerId(n: number): string;
  documentId(n: number, version: number): string;
  workspaceUrl(n: number): string;
  folderUrl(n: number): string;
  documentUrl(n: number, version: number): string;
  iwl(n: number, version?: number): string;
}

export function createLinks(publicUrl: string): Links {
  const base = publicUrl.replace(/\/+$/, '');
  const dms = new URL(base).host;
  const containerId = (n: number): string => `${LIBRARY}!${n}`;
  const documentId = (n: number, v: number): string => `${LIBRARY}!${n}.${v}`;
  return {
    containerId,
    documentId,
    workspaceUrl: (n) => `${base}/work/link/w/${containerId(n)}/`,
    folderUrl: (n) => `${base}/work/link/f/${containerId(n)}`,
    documentUrl: (n, v) => `${base}/work/link/d/${documentId(n, v)}`,
    iwl: (n, v) => `iwl:dms=${dms}&&lib=${LIBRARY}&&num=${n}${v === undefined ? '' : `&&ver=${v}`}`,
  };
}

export interface ParsedDocumentId {
  number: number;
  /** Undefined means "the latest version", as `LIB!number` does. */
  version?: number;
}

/** Parses `LIB!number[.version]` (library compared case-insensitively); undefined when malformed or foreign. */
export function parseDocumentId(raw: string): ParsedDocumentId | undefined {
  const m = /^([^!]+)!(\d+)(?:\.(\d+))?$/.exec(raw);
  if (!m || m[1]!.toUpperCase() !== LIBRARY) return undefined;
  return { number: Number(m[2]), version: m[3] === undefined ? undefined : Number(m[3]) };
}

/**
 * Parses a container id `LIB!number` (library compared case-insensitively); undefined when malformed or foreign.
 * A bare number is not an iManage id (reference §2: `{LIBRARY}!{number}`), so it names nothing.
 */
export function parseContainerId(raw: string): number | undefined {
  const m = /^([^!]+)!(\d+)$/.exec(raw);
  if (!m || m[1]!.toUpperCase() !== LIBRARY) return undefined;
  return Number(m[2]);
}
