# The worker and API image (glibc: Temporal's native core does not load on Alpine/musl).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY workflows workflows
COPY activities activities
COPY workers workers
COPY src src
COPY scripts scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# ca-certificates: gRPC to Temporal fails with a bare TransportError without them, even on plaintext.
# chromium, fonts-liberation: the worker signs in to Clio's web app in Debian's Chromium (Playwright drives it);
# the API never starts a browser, but one image serves both.
RUN apt-get update -qq \
  && apt-get install -y -qq --no-install-recommends ca-certificates chromium fonts-liberation \
  && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium
WORKDIR /app
ENV NODE_ENV=production
# DATA_DIR (default .data) is written by the process, which runs as node: portal drift snapshots go there.
# A named volume mounted here starts with this ownership.
RUN mkdir -p /app/.data && chown node:node /app/.data
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
USER node
# docker-compose.yml picks the process: the worker (default) or the API. Operator scripts are built too:
# `node dist/scripts/apikey.js`, `node dist/scripts/audit-verify.js`, ... (not `npm run`, which needs tsx).
CMD ["node", "dist/workers/main.js"]
