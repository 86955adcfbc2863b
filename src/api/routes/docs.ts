import express, { Router } from 'express';
// Only the asset folder's path: the package's index also evaluates Swagger UI's 1.7 MB browser bundle.
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path';
import { buildOpenApiDocument } from '../openapi';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>clio-orchestrator API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** `/openapi.json` and a `/docs` page rendering it with Swagger UI from the installed package (no CDN). */
export function docsRouter(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false }));
  return router;
}
