import { z } from 'zod';
import { type PracticeArea, type UtbmsCode } from '../../../domain/clio/reference';
import { id, str, und } from './wire';

export const PRACTICE_AREA_FIELDS = 'id,name,code,category';

export const practiceAreaSchema = z
  .looseObject({ id, name: z.string(), code: str, category: str })
  .transform((p): PracticeArea => ({ id: p.id, name: p.name, code: und(p.code), category: und(p.category) }));

export const UTBMS_CODE_FIELDS = 'id,code,name,type,utbms_set_id';

export const utbmsCodeSchema = z
  .looseObject({
    id,
    code: z.string(),
    name: str,
    type: z.string(),
    utbms_set_id: z.union([z.number(), z.string()]).nullish(),
  })
  .transform((c): UtbmsCode => ({
    id: c.id,
    code: c.code,
    name: und(c.name),
    type: c.type,
    setId: c.utbms_set_id === null || c.utbms_set_id === undefined ? undefined : String(c.utbms_set_id),
  }));
