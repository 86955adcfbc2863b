import { z } from 'zod';
import { forbidden } from '../http/errors';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { simpleCrud } from './simple-crud';
import { zBool } from './input';

const COLORS = [
  '#367B9C',
  '#FFA5A4',
  '#83D17F',
  '#FFAC7B',
  '#8E3F64',
  '#C75300',
  '#009CEC',
  '#62D6B1',
  '#9EEDCB',
  '#F9A2C4',
  '#616161',
  '#BBDA81',
  '#DFD3F8',
  '#D6C4A5',
  '#FFD478',
  '#6AC9DE',
  '#EABBB0',
  '#BFC2E1',
  '#DADADA',
  '#CDE2F5',
] as const;

const crud = simpleCrud({
  collection: 'calendars',
  input: z.object({
    name: z.string().min(1).max(255),
    color: z.enum(COLORS).optional(),
    visible: zBool.optional(),
  }),
  defaults: (ctx) => ({
    color: '#367B9C',
    light_color: '#5DA5C7',
    type: 'AdhocCalendar',
    permission: 'owner',
    visible: true,
    source: 'web',
    court_rules_default_calendar: false,
    creator: { id: ctx.userId },
  }),
});

export const calendarsDef: ResourceDef = {
  meta: metaFor('calendars'),
  path: 'calendars',
  orders: ['name'],
  filter: (f) => {
    f.bool('visible', '$.visible');
    f.equals('type', '$.type', ['AccountCalendar', 'AdhocCalendar', 'UserCalendar']);
  },
  ...crud,
  destroy: (ctx, current) => {
    if (current.type !== 'AdhocCalendar') throw forbidden('Only ad hoc calendars can be deleted');
    ctx.state.store.remove('calendars', current.id);
  },
};
