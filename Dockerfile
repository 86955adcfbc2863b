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
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
USER node
# docker-compose.yml picks the process: the worker (default) or the API.
CMD ["node", "dist/workers/main.js"]
