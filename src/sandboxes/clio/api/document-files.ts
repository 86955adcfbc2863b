import express, { Router } from 'express';
import { notFound } from '../http/errors';
import { parseFields } from '../http/fields-param';
import { renderContext, renderRecord } from '../http/render';
import type { SandboxState } from '../state/sandbox-state';
import { signDownloadUrl, verifySignature, type UploadSigner } from './document-urls';
import { apiContext } from './respond';
import { metaFor } from './resource-meta';

/** API routes around document bytes: download (303 to a signed URL) and the version list. */
export function documentApiRouter(state: SandboxState, signer: UploadSigner): Router {
  const router = Router();
  const load = (id: string): { id: number; latest?: number } => {
    const doc = state.store.get('documents', Number(id));
    if (!doc || doc.deleted_at) throw notFound('Document');
    return { id: doc.id, latest: (doc.latest_document_version as { id: number } | undefined)?.id };
  };
  router.get('/documents/:id/download', (req, res) => {
    const doc = load(req.params.id);
    const versionId =
      req.query.document_version_id === undefined ? doc.latest : Number(req.query.document_version_id);
    const version = versionId === undefined ? undefined : state.store.get('document_versions', versionId);
    if (!version || version.document_id !== doc.id || version.fully_uploaded !== true)
      throw notFound('Document version');
    res.redirect(303, signDownloadUrl(req, signer, String(version.uuid)));
  });
  router.get('/documents/:id/versions', (req, res) => {
    const doc = load(req.params.id);
    const meta = metaFor('document_versions');
    const fields = parseFields(req.query.fields, meta.schema);
    const rctx = renderContext(state.store, apiContext(state, req, res).version);
    const versions = state.store.list('document_versions', {
      where: [
        { path: '$.document_id', op: '=', value: doc.id },
        { path: '$.fully_uploaded', op: '=', value: 1 },
      ],
    });
    res.json({ data: versions.map((v) => renderRecord(rctx, meta, v, fields)), meta: { paging: {} } });
  });
  return router;
}

/** The "object storage" behind put_url and download URLs: signed, no bearer token, S3-like errors. */
export function blobRouter(state: SandboxState, signer: UploadSigner): Router {
  const router = Router();
  router.put('/_uploads/:uuid', express.raw({ type: () => true, limit: '200mb' }), (req, res) => {
    const { uuid } = req.params;
    if (!verifySignature(signer, 'put', uuid, req.query.expires, req.query.signature)) {
      res
        .status(403)
        .type('application/xml')
        .send(
          '<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>',
        );
      return;
    }
    const version = state.store.list('document_versions', {
      where: [{ path: '$.uuid', op: '=', value: uuid }],
      limit: 1,
    })[0];
    if (!version || req.header('x-amz-server-side-encryption') !== 'AES256') {
      res
        .status(400)
        .type('application/xml')
        .send(
          '<Error><Code>InvalidRequest</Code><Message>Send the put_headers returned with the put_url</Message></Error>',
        );
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    state.store.transaction(() =>
      state.db
        .prepare(
          'INSERT INTO blobs (key, content_type, body) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET content_type = excluded.content_type, body = excluded.body',
        )
        .run(uuid, req.header('content-type') ?? 'application/octet-stream', body),
    );
    res.status(200).setHeader('ETag', `"${uuid}"`).end();
  });
  router.get('/_downloads/:uuid', (req, res) => {
    const { uuid } = req.params;
    const row = verifySignature(signer, 'get', uuid, req.query.expires, req.query.signature)
      ? (state.db.prepare('SELECT content_type, body FROM blobs WHERE key = ?').get(uuid) as
          { content_type: string; body: Buffer } | undefined)
      : undefined;
    if (!row) {
      res.status(403).type('application/xml').send('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    res.type(row.content_type).send(row.body);
  });
  return router;
}
