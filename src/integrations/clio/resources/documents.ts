import { z } from 'zod';
import { type ClioDocument, type ClioFolder, type Note } from '../../../domain/clio/documents';
import { bool, externalProperties, id, link, linkId, num, str, und } from './wire';

export const DOCUMENT_FIELDS =
  'id,etag,name,filename,content_type,size,created_at,updated_at,matter{id},parent{id},external_properties{name,value}';

export const documentSchema = z
  .looseObject({
    id,
    etag: str,
    name: z.string(),
    filename: str,
    content_type: str,
    size: num,
    created_at: str,
    updated_at: str,
    matter: link,
    parent: link,
    external_properties: externalProperties,
  })
  .transform((d): ClioDocument => ({
    id: d.id,
    etag: und(d.etag),
    name: d.name,
    filename: und(d.filename),
    contentType: und(d.content_type),
    size: und(d.size),
    matterId: linkId(d.matter),
    parentFolderId: linkId(d.parent),
    externalProperties: d.external_properties,
    createdAt: und(d.created_at),
    updatedAt: und(d.updated_at),
  }));

export const FOLDER_FIELDS = 'id,etag,name,root,matter{id},parent{id}';

export const folderSchema = z
  .looseObject({ id, etag: str, name: z.string(), root: bool, matter: link, parent: link })
  .transform((f): ClioFolder => ({
    id: f.id,
    etag: und(f.etag),
    name: f.name,
    root: und(f.root),
    matterId: linkId(f.matter),
    parentFolderId: linkId(f.parent),
  }));

export const NOTE_FIELDS = 'id,etag,type,subject,detail,date,created_at,matter{id},contact{id}';

export const noteSchema = z
  .looseObject({
    id,
    etag: str,
    type: str,
    subject: str,
    detail: str,
    date: str,
    created_at: str,
    matter: link,
    contact: link,
  })
  .transform((n): Note => ({
    id: n.id,
    etag: und(n.etag),
    type: und(n.type),
    subject: und(n.subject),
    detail: und(n.detail),
    date: und(n.date),
    matterId: linkId(n.matter),
    contactId: linkId(n.contact),
    createdAt: und(n.created_at),
  }));
