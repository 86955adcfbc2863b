import { Router } from 'express';
import { z } from 'zod';
import { notFound, unprocessable } from '../http/errors';
import { timeEntryFigures } from '../logic/time-math';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import { dataOf, parseInput, zRef } from './input';
import { apiContext, sendRecord } from './respond';
import type { ResourceMeta } from './resource-meta';

const TIMER: ResourceMeta = {
  collection: 'timers',
  schema: 'Timer',
  links: { activity: 'activities' },
  money: [],
};

/** elapsed_time is hours since the start, recomputed on every read. */
const withElapsed = (timer: Doc): Doc => ({
  ...timer,
  elapsed_time:
    Math.round(((Date.now() - Date.parse(String(timer.start_time))) / 3_600_000) * 10_000) / 10_000,
});

/**
 * One running timer per user (`/timer`): POST starts it on a time entry, GET shows it, DELETE stops it
 * and adds the elapsed seconds to the entry (re-rounded and re-priced).
 */
export function timerRouter(state: SandboxState): Router {
  const router = Router();
  const current = (userId: number): Doc | undefined =>
    state.store.list('timers', { where: [{ path: '$.user.id', op: '=', value: userId }], limit: 1 })[0];

  router.get('/timer', (req, res) => {
    const ctx = apiContext(state, req, res);
    const timer = current(ctx.userId);
    if (!timer) throw notFound('Timer');
    sendRecord(ctx, res, TIMER, withElapsed(timer));
  });

  router.post('/timer', (req, res) => {
    const ctx = apiContext(state, req, res);
    const input = parseInput(z.object({ activity: zRef }), dataOf(req.body));
    const timer = state.store.transaction(() => {
      const activity = state.store.get('activities', input.activity.id);
      if (!activity || activity.type !== 'TimeEntry') throw unprocessable('A timer needs a time entry');
      if (activity.billed === true) throw unprocessable('A billed entry cannot be timed');
      const running = current(ctx.userId);
      if (running) state.store.remove('timers', running.id);
      return state.store.insert('timers', {
        start_time: new Date().toISOString(),
        activity: { id: activity.id },
        user: { id: ctx.userId },
      });
    });
    sendRecord(ctx, res, TIMER, withElapsed(timer), 201);
  });

  router.delete('/timer', (req, res) => {
    const ctx = apiContext(state, req, res);
    state.store.transaction(() => {
      const timer = current(ctx.userId);
      if (!timer) throw notFound('Timer');
      const activity = state.store.get('activities', (timer.activity as { id: number }).id);
      if (activity) {
        const seconds =
          Number(activity.quantity ?? 0) +
          Math.round((Date.now() - Date.parse(String(timer.start_time))) / 1000);
        const figures = timeEntryFigures(
          seconds,
          Number(activity.price),
          state.settings().time_rounding_minutes,
          activity.non_billable === true,
        );
        state.store.update('activities', activity.id, figures);
      }
      state.store.remove('timers', timer.id);
    });
    res.status(204).end();
  });
  return router;
}
