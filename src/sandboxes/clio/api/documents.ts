import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ClioError, conflict, unprocessable } from '../http/errors';
import { queryString } from '../http/query-value';
import type { Doc } from '../state/record-store';
import { signUploadUrl, type UploadSigner } from './document-urls';
import { folderPlacement, ParentInput, resolveParentFolder } from './folders';
import { dataOf, parseInput, zBool } from './input';
import { ExternalPropertyInput, hasExternalProperty, mergeExternalProperties } from './nested-items';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

const zTimestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 timestamp');
const CreateInput = z.object({
  name: z.string().min(1).max(255),
  parent: ParentInput,
  content_type: z.string().optional(),
  filename: z.string().optional(),
  received_at: zTimestamp.optional(),
  external_properties: z.array(ExternalPropertyInput).optional(),
});
const UpdateInput = z.object({
  name: z.string().min(1).max(255).optional(),
  parent: ParentInput.optional(),
  uuid: z.string().optional(),
  fully_uploaded: zBool.optional(),
  received_at: zTimestamp.optional(),
  external_properties: z.array(ExternalPropertyInput).optional(),
});

const GUESS: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  txt: 'text/plain',
  png: 'image/png',
  jpg: 'image/jpeg',
  eml: 'message/rfc822',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
/** Clio guesses the content type from the extension when none is given. */
const guessType = (filename: string): string =>
  GUESS[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

/** A new pending version whose bytes go to a signed put_url the sandbox serves (step 2 of 3). */
function newVersion(
  ctx: ApiContext,
  signer: UploadSigner,
  documentId: number,
  number: number,
  filename: string,
  contentType: string,
  receivedAt?: string,
): Doc {
  const uuid = randomUUID();
  const { url, headers } = signUploadUrl(ctx.req, signer, uuid, contentType);
  return ctx.state.store.insert('document_versions', {
    document_id: documentId,
    uuid,
    version_number: number,
    filename,
    content_type: contentType,
    size: 0,
    fully_uploaded: false,
    put_url: url,
    put_headers: headers,
    creator: { id: ctx.userId },
    ...(receivedAt ? { received_at: receivedAt } : {}),
  });
}

export function documentsDef(signer: UploadSigner): ResourceDef {
  return {
    meta: metaFor('documents'),
    path: 'documents',
    orders: ['name', 'received_at', 'updated_at', 'size'],
    filter: (f) => {
      f.link('matter_id', '$.matter.id');
      f.link('contact_id', '$.contact.id');
      f.link('parent_id', '$.parent.id');
      if (f.query.include_deleted !== 'true') f.predicate((d) => !d.deleted_at);
      if (f.query.show_uncompleted !== 'true') f.predicate((d) => d.fully_uploaded === true);
      const name = queryString(f.query.external_property_name);
      const value = queryString(f.query.external_property_value);
      if (name !== undefined || value !== undefined) f.predicate((d) => hasExternalProperty(d, name, value));
      f.text(['name', 'filename']);
    },
    create: (ctx, body) => {
      const input = parseInput(CreateInput, dataOf(body));
      const { store } = ctx.state;
      const filename = input.filename ?? input.name;
      const contentType = input.content_type || guessType(filename);
      if (input.parent.type === 'Document') {
        // A new version of an existing document.
        const existing = store.get('documents', input.parent.id);
        if (!existing || existing.deleted_at)
          throw unprocessable(`Document ${input.parent.id} could not be found`);
        const count = store.list('document_versions', {
          where: [{ path: '$.document_id', op: '=', value: existing.id }],
        }).length;
        const version = newVersion(
          ctx,
          signer,
          existing.id,
          count + 1,
          filename,
          contentType,
          input.received_at,
        );
        return store.update('documents', existing.id, { pending_version: { id: version.id } });
      }
      const folder = resolveParentFolder(ctx, input.parent);
      const doc = store.insert('documents', {
        name: input.name,
        filename,
        content_type: contentType,
        size: 0,
        type: 'Document',
        locked: false,
        fully_uploaded: false,
        creator: { id: ctx.userId },
        ...folderPlacement(folder),
        ...(input.received_at ? { received_at: input.received_at } : {}),
        external_properties: mergeExternalProperties(
          () => store.nextId('external_properties'),
          [],
          input.external_properties,
        ),
      });
      const version = newVersion(ctx, signer, doc.id, 1, filename, contentType, input.received_at);
      return store.update('documents', doc.id, {
        latest_document_version: { id: version.id },
        pending_version: { id: version.id },
      });
    },
    update: (ctx, current, body) => {
      const input = parseInput(UpdateInput, dataOf(body));
      const { store } = ctx.state;
      const patch: Record<string, unknown> = {};
      if (input.uuid !== undefined || input.fully_uploaded) {
        const version = store.list('document_versions', {
          where: [
            { path: '$.document_id', op: '=', value: current.id },
            { path: '$.uuid', op: '=', value: input.uuid ?? '' },
          ],
          limit: 1,
        })[0];
        if (!version)
          throw new ClioError(404, 'UploadNotFoundError', 'No upload with this uuid belongs to the document');
        if (input.fully_uploaded) {
          const blob = store.db
            .prepare('SELECT length(body) AS size FROM blobs WHERE key = ?')
            .get(version.uuid) as { size: number } | undefined;
          if (!blob) throw new ClioError(422, 'UploadNotFoundError', 'The file was not uploaded to put_url');
          store.update('document_versions', version.id, {
            fully_uploaded: true,
            size: blob.size,
            put_url: undefined,
            put_headers: undefined,
          });
          Object.assign(patch, {
            fully_uploaded: true,
            size: blob.size,
            filename: version.filename,
            content_type: version.content_type,
            latest_document_version: { id: version.id },
            pending_version: undefined,
          });
        }
      }
      if (input.name) patch.name = input.name;
      if (input.received_at) patch.received_at = input.received_at;
      if (input.parent) patch.parent = folderPlacement(resolveParentFolder(ctx, input.parent)).parent;
      if (input.external_properties)
        patch.external_properties = mergeExternalProperties(
          () => store.nextId('external_properties'),
          (current.external_properties as Doc[]) ?? [],
          input.external_properties,
        );
      return store.update('documents', current.id, patch);
    },
    destroy: (ctx, current) => {
      if (current.locked) throw conflict('The document is locked');
      ctx.state.store.update('documents', current.id, { deleted_at: new Date().toISOString() });
    },
  };
}
