import { createHash } from 'node:crypto';

/** iManage types a document by application; the extension decides which one, as the desktop client does. */
const TYPES: Record<string, { type: string; description: string; mime: string }> = {
  DOCX: {
    type: 'WORDX',
    description: 'Microsoft Word 2007+',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  DOC: { type: 'WORD', description: 'Microsoft Word', mime: 'application/msword' },
  PDF: { type: 'ACROBAT', description: 'Adobe Acrobat', mime: 'application/pdf' },
  XLSX: {
    type: 'EXCELX',
    description: 'Microsoft Excel 2007+',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  MSG: { type: 'MIME', description: 'Outlook Message', mime: 'application/vnd.ms-outlook' },
  TXT: { type: 'ANSI', description: 'Windows Ansi Text', mime: 'text/plain' },
};

export function typeOf(extension: string): { type: string; type_description: string; mime: string } {
  const t = TYPES[extension.toUpperCase()];
  return t
    ? { type: t.type, type_description: t.description, mime: t.mime }
    : { type: 'ANSI', type_description: 'Windows Ansi Text', mime: 'application/octet-stream' };
}

export function splitFileName(fileName: string): { name: string; extension: string } {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return { name: fileName, extension: '' };
  return { name: fileName.slice(0, dot), extension: fileName.slice(dot + 1).toUpperCase() };
}

/** The content-derived fields of a version's profile. */
export function contentFields(content: Buffer): { size: number; checksum: string } {
  return {
    size: content.length,
    checksum: `SHA256:${createHash('sha256').update(content).digest('hex').toUpperCase()}`,
  };
}

/** The profile of a new version 1 before caller overrides; seed and uploads share it so they look alike. */
export function newDocumentProfile(p: {
  name: string;
  extension: string;
  content: Buffer;
  actor: { id: string; name: string };
  at: string;
  workspaceName: unknown;
  comment?: string;
}): Record<string, unknown> {
  const { mime: _mime, ...type } = typeOf(p.extension);
  return {
    name: p.name,
    extension: p.extension,
    ...type,
    ...contentFields(p.content),
    content_type: 'D',
    class: 'DOC',
    subclass: '',
    author: p.actor.id,
    author_description: p.actor.name,
    operator: p.actor.id,
    operator_description: p.actor.name,
    last_user: p.actor.id,
    last_user_description: p.actor.name,
    create_date: p.at,
    edit_date: p.at,
    edit_profile_date: p.at,
    file_create_date: p.at,
    file_edit_date: p.at,
    default_security: 'inherit',
    comment: p.comment ?? '',
    retain_days: 365,
    is_checked_out: false,
    is_in_use: false,
    is_declared: false,
    is_external: false,
    is_hipaa: false,
    indexable: true,
    workspace_name: p.workspaceName,
  };
}
