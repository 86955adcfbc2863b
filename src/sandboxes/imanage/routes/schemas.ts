import { z } from 'zod';
import { type CustomValues } from '../state/custom-values';

/** Custom field types as iManage defines them: lookups and text, numbers, datetimes, booleans. */
function customFieldSchema(n: number): z.ZodType {
  if (n >= 17 && n <= 20) return z.number().nullable().optional();
  if (n >= 21 && n <= 24) {
    return z
      .string()
      .refine((v) => !Number.isNaN(Date.parse(v)), 'Expected an ISO-8601 date and time.')
      .nullable()
      .optional();
  }
  if (n >= 25 && n <= 28) return z.boolean().nullable().optional();
  return z.string().trim().min(1).max(254).nullable().optional();
}

const CUSTOM_SHAPE: Record<string, z.ZodType> = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`custom${i + 1}`, customFieldSchema(i + 1)]),
);

/** customN values present in a parsed body (already typed by CUSTOM_SHAPE). */
export function pickCustoms(body: Record<string, unknown>): CustomValues {
  const out: CustomValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (/^custom\d+$/.test(k) && v !== undefined) out[k] = v as CustomValues[string];
  }
  return out;
}

export const AliasCreateSchema = z.object({
  id: z.string().trim().min(1).max(32),
  description: z.string().max(254).default(''),
  enabled: z.boolean().default(true),
  hipaa: z.boolean().default(false),
});

export const Custom2CreateSchema = AliasCreateSchema.extend({
  parent: z.object({ id: z.string().trim().min(1).max(32) }),
});

export const AliasPatchSchema = z
  .object({ description: z.string().max(254), enabled: z.boolean(), hipaa: z.boolean() })
  .partial();

export const WorkspaceCreateSchema = z.object({
  name: z.string().trim().min(1).max(254),
  description: z.string().max(254).optional(),
  owner: z.string().trim().min(1).max(63).optional(),
  default_security: z.enum(['private', 'view', 'public']).optional(),
  subclass: z.string().max(32).optional(),
  template: z.string().min(1).optional(),
  ...CUSTOM_SHAPE,
});

/** Everything but the template can change after creation. */
export const WorkspacePatchSchema = WorkspaceCreateSchema.omit({ template: true }).partial();

export const FolderCreateSchema = z.object({
  name: z.string().trim().min(1).max(254),
  description: z.string().max(254).optional(),
  owner: z.string().trim().min(1).max(63).optional(),
  default_security: z.enum(['inherit', 'private', 'view', 'public']).optional(),
  email: z.string().max(254).optional(),
  profile: z.object(CUSTOM_SHAPE).optional(),
});

const DocProfileSchema = z.object({
  name: z.string().trim().min(1).max(254).optional(),
  extension: z.string().trim().max(16).optional(),
  class: z.string().max(32).optional(),
  subclass: z.string().max(32).optional(),
  author: z.string().max(63).optional(),
  operator: z.string().max(63).optional(),
  comment: z.string().max(1024).optional(),
  default_security: z.enum(['inherit', 'private', 'view', 'public']).optional(),
  retain_days: z.number().int().min(0).optional(),
  file_create_date: z.string().optional(),
  file_edit_date: z.string().optional(),
  ...CUSTOM_SHAPE,
});

export type DocProfile = z.infer<typeof DocProfileSchema>;

/** The multipart `profile` part of an upload, as several independent clients send it. */
export const UploadProfileSchema = z.object({
  doc_profile: DocProfileSchema.default({}),
  inherit_profile_from_folder: z.boolean().default(true),
  keep_locked: z.boolean().optional(),
  warnings_for_required_and_disabled_fields: z.boolean().optional(),
});

export const DocumentPatchSchema = DocProfileSchema.omit({ extension: true });

export const DocumentSearchBodySchema = z.object({
  limit: z.number().int().min(1).optional(),
  offset: z.number().int().min(0).optional(),
  total: z.boolean().optional(),
  filters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  profile_fields: z.object({ document: z.array(z.string()).optional() }).optional(),
});
