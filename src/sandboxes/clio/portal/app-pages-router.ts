import { Router } from 'express';
import type { Doc } from '../state/record-store';
import { cents, esc, page } from './html';
import { labelsFor, type PortalLabels } from './labels';
import type { PortalContext } from './portal-context';
import { requirePageSession, sessionOf } from './session-guard';

const PAGE_SIZE = 50;

const pageNumber = (raw: unknown): number =>
  Math.max(1, Math.min(10_000, Number.parseInt(typeof raw === 'string' ? raw : '1', 10) || 1));

function shell(l: PortalLabels, user: Doc | undefined, csrf: string, title: string, content: string): string {
  return page({
    title,
    csrf,
    body: `<header><nav id="${l.ids.nav}" aria-label="Main"><a href="/dashboard">Dashboard</a><a href="/matters">Matters</a><a href="/bills">Bills</a></nav>
<p>Signed in as <span id="${l.ids.currentUser}">${esc(user?.name)}</span></p>
<form method="post" action="/session/destroy"><button type="submit">${esc(l.signOut)}</button></form></header>
<h1>${esc(title)}</h1>
${content}`,
  });
}

const pager = (path: string, n: number, more: boolean): string =>
  `<p>${n > 1 ? `<a href="${path}?page=${n - 1}" rel="prev">Previous</a> ` : ''}Page ${n}${more ? ` <a href="${path}?page=${n + 1}" rel="next">Next page</a>` : ''}</p>`;

/** The pages behind the session: a dashboard and lists of matters and bills with stable ids. */
export function appPagesRouter(ctx: PortalContext): Router {
  const router = Router();
  const guard = requirePageSession(ctx);
  const { store } = ctx.state;
  const render = (title: string, content: string) => (user: Doc | undefined, csrf: string) =>
    shell(labelsFor(ctx.state.getFaults()), user, csrf, title, content);

  router.get('/dashboard', guard, (_req, res) => {
    const s = sessionOf(res);
    const drafts = store.list('bills', { where: [{ path: '$.state', op: '=', value: 'draft' }] }).length;
    const content = `<ul><li id="dash-matters">${store.count('matters')} matters</li><li id="dash-drafts">${drafts} draft bills</li><li id="dash-leads">${store.list('inbox_leads', { where: [{ path: '$.state', op: '=', value: 'untriaged' }] }).length} untriaged leads</li></ul>`;
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(render('Dashboard', content)(store.get('users', s.userId), s.csrf));
  });

  router.get('/matters', guard, (req, res) => {
    const s = sessionOf(res);
    const l = labelsFor(ctx.state.getFaults());
    const n = pageNumber(req.query.page);
    const rows = store.list('matters', { limit: PAGE_SIZE * n + 1 }).slice(PAGE_SIZE * (n - 1));
    const body = rows
      .slice(0, PAGE_SIZE)
      .map(
        (m) =>
          `<tr data-matter-id="${m.id}"><td>${esc(m.display_number)}</td><td>${esc(m.description)}</td><td>${esc(m.status)}</td></tr>`,
      )
      .join('\n');
    const content = `<table id="${l.ids.mattersTable}" aria-label="Matters"><thead><tr><th>Number</th><th>Description</th><th>Status</th></tr></thead><tbody>
${body}</tbody></table>${pager('/matters', n, rows.length > PAGE_SIZE)}`;
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(render('Matters', content)(store.get('users', s.userId), s.csrf));
  });

  router.get('/bills', guard, (req, res) => {
    const s = sessionOf(res);
    const l = labelsFor(ctx.state.getFaults());
    const n = pageNumber(req.query.page);
    const rows = store
      .list('bills', { descending: true, limit: PAGE_SIZE * n + 1 })
      .slice(PAGE_SIZE * (n - 1));
    const body = rows
      .slice(0, PAGE_SIZE)
      .map(
        (b) =>
          `<tr data-bill-id="${b.id}"><td>${esc(b.number)}</td><td>${esc(b.state)}</td><td>${cents(b.total)}</td><td>${cents(b.balance)}</td><td><a href="/internal/bills/${b.id}/pdf">PDF</a></td></tr>`,
      )
      .join('\n');
    const content = `<table id="${l.ids.billsTable}" aria-label="Bills"><thead><tr><th>Number</th><th>State</th><th>Total</th><th>Balance</th><th>Download</th></tr></thead><tbody>
${body}</tbody></table>${pager('/bills', n, rows.length > PAGE_SIZE)}`;
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(render('Bills', content)(store.get('users', s.userId), s.csrf));
  });
  return router;
}
