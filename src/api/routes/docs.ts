import express, { Router } from 'express';
// Only the asset folder's path: the package's index also evaluates Swagger UI's 1.7 MB browser bundle.
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path';
import { buildOpenApiDocument } from '../openapi';

// No icon of its own: `data:,` keeps the browser from asking for /favicon.ico, a 404 in the visitor's console.
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>clio-orchestrator API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

/**
 * The package's files the page loads, read from the page itself so the two cannot drift apart. Only these: the rest
 * of the package (its package.json with the version, its Node entry points, megabytes of source maps) is no
 * business of a visitor's, and answers the API's 404.
 */
const ASSETS = new Set([...PAGE.matchAll(/"\/docs\/assets(\/[^"]+)"/g)].map((m) => m[1]!));

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
  const assets = express.static(getAbsoluteFSPath(), { index: false });
  router.use('/docs/assets', (req, res, next) => {
    if (ASSETS.has(req.path)) assets(req, res, next);
    else next();
  });
  return router;
}
