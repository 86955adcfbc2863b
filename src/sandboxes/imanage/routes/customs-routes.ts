import { z } from 'zod';
import { notFound } from '../errors';
import { listBody, PagingSchema } from '../http/paging';
import { type RouteKit } from '../http/route-kit';
import { parse } from '../http/validate';
import {
  getCustom1,
  getCustom2,
  insertCustom1,
  insertCustom2,
  listCustom1,
  listCustom2,
  updateCustom1,
  updateCustom2,
} from '../state/customs-repo';
import { type Store } from '../state/store';
import { AliasCreateSchema, AliasPatchSchema, Custom2CreateSchema } from './schemas';

const ParentQuerySchema = z.object({ parent_alias: z.string().min(1).optional() });

/** Lookup aliases: custom1 (clients) and custom2 (matters, each under a custom1 parent). */
export function registerCustomsRoutes(kit: RouteKit, s: Store): void {
  const { db } = s;
  const param = (raw: string | string[] | undefined): string =>
    Array.isArray(raw) ? raw.join('/') : (raw ?? '');

  kit.library('post', '/customs/custom1', (req, res) => {
    const body = parse(AliasCreateSchema, req.body);
    res.status(201).json({ data: db.transaction(() => insertCustom1(db, body))() });
  });
  kit.library('get', '/customs/custom1', (req, res) => {
    const paging = parse(PagingSchema, req.query, 'query');
    res.json(listBody(listCustom1(db, paging.offset, paging.limit), paging));
  });
  kit.library('get', '/customs/custom1/:alias', (req, res) => {
    const found = getCustom1(db, param(req.params.alias));
    if (!found) throw notFound(`custom1 alias '${param(req.params.alias)}'`);
    res.json({ data: found });
  });
  kit.library('patch', '/customs/custom1/:alias', (req, res) => {
    const patch = parse(AliasPatchSchema, req.body);
    const updated = db.transaction(() => updateCustom1(db, param(req.params.alias), patch))();
    if (!updated) throw notFound(`custom1 alias '${param(req.params.alias)}'`);
    res.json({ data: updated });
  });

  kit.library('post', '/customs/custom2', (req, res) => {
    const body = parse(Custom2CreateSchema, req.body);
    res
      .status(201)
      .json({ data: db.transaction(() => insertCustom2(db, { ...body, parent: body.parent.id }))() });
  });
  kit.library('get', '/customs/custom2', (req, res) => {
    const paging = parse(PagingSchema, req.query, 'query');
    const { parent_alias } = parse(ParentQuerySchema, req.query, 'query');
    res.json(listBody(listCustom2(db, parent_alias, paging.offset, paging.limit), paging));
  });
  kit.library('get', '/customs/custom2/:alias', (req, res) => {
    const { parent_alias } = parse(ParentQuerySchema, req.query, 'query');
    const found = getCustom2(db, param(req.params.alias), parent_alias);
    if (!found) throw notFound(`custom2 alias '${param(req.params.alias)}'`);
    res.json({ data: found });
  });
  kit.library('patch', '/customs/custom2/:alias', (req, res) => {
    const { parent_alias } = parse(ParentQuerySchema, req.query, 'query');
    const patch = parse(AliasPatchSchema, req.body);
    const updated = db.transaction(() => updateCustom2(db, param(req.params.alias), parent_alias, patch))();
    if (!updated) throw notFound(`custom2 alias '${param(req.params.alias)}'`);
    res.json({ data: updated });
  });
}
