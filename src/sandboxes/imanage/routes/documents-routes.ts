import { type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { badRequest, notFound } from '../errors';
import { currentUser } from '../http/auth';
import { filtersOf, listBody, PagingSchema } from '../http/paging';
import { type RouteKit } from '../http/route-kit';
import { parse } from '../http/validate';
import { typeOf } from '../state/document-profile';
import {
  createDocument,
  createVersion,
  getContent,
  getDocument,
  listVersions,
  searchDocuments,
  type UploadedFile,
  updateDocumentProfile,
} from '../state/documents-repo';
import { type Profile, type Store, paginate, text } from '../state/store';
import { containerNumber, documentIdParam, normalizeContainerFilters } from './params';
import { DocumentPatchSchema, DocumentSearchBodySchema, UploadProfileSchema } from './schemas';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: 50 * 1024 * 1024, files: 1 },
}).single('file');

/** Reads the two multipart parts every known client sends: `profile` (JSON text) and `file`. */
function uploadParts(req: Request): {
  profile: ReturnType<typeof UploadProfileSchema.parse>;
  file: UploadedFile;
} {
  const rawProfile = (req.body as { profile?: unknown } | undefined)?.profile;
  let json: unknown = {};
  if (typeof rawProfile === 'string' && rawProfile.trim() !== '') {
    try {
      json = JSON.parse(rawProfile);
    } catch {
      throw badRequest('The profile part is not valid JSON.', [
        { field: 'profile', code: 'INVALID_JSON', code_message: 'Not JSON.' },
      ]);
    }
  }
  const profile = parse(UploadProfileSchema, json, 'profile');
  if (!req.file)
    throw badRequest('A file part is required.', [
      { field: 'file', code: 'REQUIRED', code_message: 'Missing file.' },
    ]);
  return { profile, file: { buffer: req.file.buffer, originalname: req.file.originalname } };
}

function project(p: Profile, fields: string[] | undefined): Profile {
  if (!fields?.length) return p;
  return Object.fromEntries(Object.entries(p).filter(([k]) => k === 'id' || fields.includes(k)));
}

export function registerDocumentsRoutes(kit: RouteKit, s: Store): void {
  kit.library('post', '/folders/:folderId/documents', upload, (req, res) => {
    const folder = containerNumber(req.params.folderId as string, 'Folder');
    const { profile, file } = uploadParts(req);
    const input = { docProfile: profile.doc_profile, inheritFromFolder: profile.inherit_profile_from_folder };
    const created = s.db.transaction(() => createDocument(s, folder, input, file, currentUser(res)))();
    res.status(201).json({ data: created });
  });

  const search: RequestHandler = (req, res) => {
    const paging = parse(PagingSchema, req.query, 'query');
    const filters = normalizeContainerFilters(filtersOf(req.query));
    res.json(listBody(searchDocuments(s, filters, paging.offset, paging.limit), paging));
  };
  kit.library('get', '/documents', search);
  kit.customer('get', '/documents', search);

  const searchByBody: RequestHandler = (req, res) => {
    const body = parse(DocumentSearchBodySchema, req.body);
    const filters = normalizeContainerFilters(
      Object.fromEntries(Object.entries(body.filters).map(([k, v]) => [k, String(v)])),
    );
    const paging = parse(PagingSchema, {
      offset: body.offset,
      limit: body.limit,
      total: body.total ? 'true' : undefined,
    });
    const page = searchDocuments(s, filters, paging.offset, paging.limit);
    const results = page.results.map((p) => project(p, body.profile_fields?.document));
    // The POST body has no cursor field in any known client (reference §4 "POST search body"), so none is offered.
    res.json(listBody({ ...page, results }, paging, { cursor: false }));
  };
  kit.libraryRead('post', '/documents/search', searchByBody);
  kit.customer('post', '/documents/search', searchByBody);

  kit.library('get', '/documents/:docId', (req, res) => {
    const found = getDocument(s, documentIdParam(req.params.docId as string));
    if (!found) throw notFound(`Document '${req.params.docId as string}'`);
    res.json({ data: found });
  });

  kit.library('patch', '/documents/:docId', (req, res) => {
    const patch = parse(DocumentPatchSchema, req.body);
    const id = documentIdParam(req.params.docId as string);
    const updated = s.db.transaction(() => updateDocumentProfile(s, id, patch, currentUser(res)))();
    if (!updated) throw notFound(`Document '${req.params.docId as string}'`);
    res.json({ data: updated });
  });

  kit.library('get', '/documents/:docId/versions', (req, res) => {
    const paging = parse(PagingSchema, req.query, 'query');
    const versions = listVersions(s, documentIdParam(req.params.docId as string).number);
    if (versions.length === 0) throw notFound(`Document '${req.params.docId as string}'`);
    res.json(listBody(paginate(versions, paging.offset, paging.limit), paging));
  });

  kit.library('post', '/documents/:docId/versions', upload, (req, res) => {
    const id = documentIdParam(req.params.docId as string);
    const { profile, file } = uploadParts(req);
    const created = s.db.transaction(() =>
      createVersion(s, id.number, profile.doc_profile, file, currentUser(res)),
    )();
    res.status(201).json({ data: created });
  });

  kit.library('get', '/documents/:docId/download', (req, res) => {
    const found = getContent(s, documentIdParam(req.params.docId as string));
    if (!found) throw notFound(`Document '${req.params.docId as string}'`);
    const ext = text(found.profile.extension);
    const fileName = `${text(found.profile.name)}${ext ? `.${ext.toLowerCase()}` : ''}`;
    res
      .type(typeOf(ext).mime)
      .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
      .send(found.content);
  });
}
