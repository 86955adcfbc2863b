import { z } from 'zod';
import { forbidden } from '../http/errors';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { simpleCrud } from './simple-crud';

const crud = simpleCrud({
  collection: 'practice_areas',
  input: z.object({
    name: z.string().min(1).max(255),
    code: z.string().max(255).optional(),
    category: z.string().optional(),
  }),
});

export const practiceAreasDef: ResourceDef = {
  meta: metaFor('practice_areas'),
  path: 'practice_areas',
  writeRoles: ['admin'],
  orders: ['name'],
  filter: (f) => {
    f.equals('name', '$.name');
    f.equals('code', '$.code');
  },
  ...crud,
  destroy: (ctx, current) => {
    if (
      ctx.state.store.list('matters', {
        where: [{ path: '$.practice_area.id', op: '=', value: current.id }],
        limit: 1,
      }).length
    )
      throw forbidden('A practice area used by matters cannot be deleted');
    ctx.state.store.remove('practice_areas', current.id);
  },
};
