import { type RequestHandler } from 'express';
import { notFound } from '../errors';
import { currentUser } from '../http/auth';
import { filtersOf, listBody, PagingSchema } from '../http/paging';
import { type RouteKit } from '../http/route-kit';
import { parse } from '../http/validate';
import { searchFolders } from '../state/folders-repo';
import { type Store } from '../state/store';
import { createWorkspace, getWorkspace, searchWorkspaces, updateWorkspace } from '../state/workspaces-repo';
import { containerNumber, normalizeContainerFilters } from './params';
import { pickCustoms, WorkspaceCreateSchema, WorkspacePatchSchema } from './schemas';

export function registerWorkspacesRoutes(kit: RouteKit, s: Store): void {
  kit.library('post', '/workspaces', (req, res) => {
    const body = parse(WorkspaceCreateSchema, req.body);
    const input = {
      name: body.name,
      description: body.description,
      owner: body.owner,
      default_security: body.default_security,
      subclass: body.subclass,
      template: body.template,
      custom: pickCustoms(body),
    };
    const created = s.db.transaction(() => createWorkspace(s, input, currentUser(res)))();
    res.status(201).json({ data: created });
  });

  /** Search by exact custom values, whole-word name and the other profile filters. */
  const search: RequestHandler = (req, res) => {
    const paging = parse(PagingSchema, req.query, 'query');
    res.json(listBody(searchWorkspaces(s, filtersOf(req.query), paging.offset, paging.limit), paging));
  };
  kit.library('get', '/workspaces', search);
  kit.customer('get', '/workspaces', search);

  kit.library('get', '/workspaces/:wsId', (req, res) => {
    const found = getWorkspace(s, containerNumber(req.params.wsId as string, 'Workspace'));
    if (!found) throw notFound(`Workspace '${req.params.wsId as string}'`);
    res.json({ data: found });
  });

  kit.library('patch', '/workspaces/:wsId', (req, res) => {
    const number = containerNumber(req.params.wsId as string, 'Workspace');
    const body = parse(WorkspacePatchSchema, req.body);
    const patch = {
      name: body.name,
      description: body.description,
      owner: body.owner,
      default_security: body.default_security,
      subclass: body.subclass,
      custom: pickCustoms(body),
    };
    const updated = s.db.transaction(() => updateWorkspace(s, number, patch, currentUser(res)))();
    if (!updated) throw notFound(`Workspace '${req.params.wsId as string}'`);
    res.json({ data: updated });
  });

  // Both names are in use for a workspace's top-level folders.
  for (const sub of ['children', 'folders']) {
    kit.library('get', `/workspaces/:wsId/${sub}`, (req, res) => {
      const ws = containerNumber(req.params.wsId as string, 'Workspace');
      if (!getWorkspace(s, ws)) throw notFound(`Workspace '${req.params.wsId as string}'`);
      const paging = parse(PagingSchema, req.query, 'query');
      const filters = { ...normalizeContainerFilters(filtersOf(req.query)), container_id: String(ws) };
      res.json(listBody(searchFolders(s, filters, paging.offset, paging.limit), paging));
    });
  }
}
