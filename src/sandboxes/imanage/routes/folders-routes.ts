import { type RequestHandler } from 'express';
import { notFound } from '../errors';
import { currentUser } from '../http/auth';
import { filtersOf, listBody, PagingSchema } from '../http/paging';
import { type RouteKit } from '../http/route-kit';
import { parse } from '../http/validate';
import { searchDocuments } from '../state/documents-repo';
import { createFolder, getFolder, searchFolders } from '../state/folders-repo';
import { type Store } from '../state/store';
import { getWorkspace } from '../state/workspaces-repo';
import { containerNumber, normalizeContainerFilters } from './params';
import { FolderCreateSchema, pickCustoms } from './schemas';

export function registerFoldersRoutes(kit: RouteKit, s: Store): void {
  const create = (parent: number, raw: unknown, user: Parameters<typeof createFolder>[3]) => {
    const body = parse(FolderCreateSchema, raw);
    const input = { ...body, custom: pickCustoms(body.profile ?? {}) };
    return s.db.transaction(() => createFolder(s, parent, input, user))();
  };

  kit.library('post', '/workspaces/:wsId/folders', (req, res) => {
    const ws = containerNumber(req.params.wsId as string, 'Workspace');
    if (!getWorkspace(s, ws)) throw notFound(`Workspace '${req.params.wsId as string}'`);
    res.status(201).json({ data: create(ws, req.body, currentUser(res)) });
  });

  kit.library('post', '/folders/:folderId/folders', (req, res) => {
    const parent = containerNumber(req.params.folderId as string, 'Folder');
    if (!getFolder(s, parent)) throw notFound(`Folder '${req.params.folderId as string}'`);
    res.status(201).json({ data: create(parent, req.body, currentUser(res)) });
  });

  const search: RequestHandler = (req, res) => {
    const paging = parse(PagingSchema, req.query, 'query');
    const filters = normalizeContainerFilters(filtersOf(req.query));
    res.json(listBody(searchFolders(s, filters, paging.offset, paging.limit), paging));
  };
  kit.library('get', '/folders', search);
  kit.customer('get', '/folders', search);

  kit.library('get', '/folders/:folderId', (req, res) => {
    const found = getFolder(s, containerNumber(req.params.folderId as string, 'Folder'));
    if (!found) throw notFound(`Folder '${req.params.folderId as string}'`);
    res.json({ data: found });
  });

  kit.library('get', '/folders/:folderId/children', (req, res) => {
    const folder = containerNumber(req.params.folderId as string, 'Folder');
    if (!getFolder(s, folder)) throw notFound(`Folder '${req.params.folderId as string}'`);
    const paging = parse(PagingSchema, req.query, 'query');
    res.json(
      listBody(searchFolders(s, { container_id: String(folder) }, paging.offset, paging.limit), paging),
    );
  });

  kit.library('get', '/folders/:folderId/documents', (req, res) => {
    const folder = containerNumber(req.params.folderId as string, 'Folder');
    if (!getFolder(s, folder)) throw notFound(`Folder '${req.params.folderId as string}'`);
    const paging = parse(PagingSchema, req.query, 'query');
    const filters = { ...filtersOf(req.query), container_id: String(folder) };
    res.json(listBody(searchDocuments(s, filters, paging.offset, paging.limit), paging));
  });
}
