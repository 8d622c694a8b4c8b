# The gradeguard commands as one image for Cloud Run jobs (grade, consolidate, check, monitor, locks, remediate,
# cleanup): `node dist/scripts/gradeguard.js <command> ...`, the toolkit compiled to JavaScript (npm run build), no
# tsx. Build from the repository root (docs/operations.md):
#   gcloud builds submit --tag REGION-docker.pkg.dev/PROJECT/gradeguard/gradeguard:TAG .
# test/deploy/image.test.ts assembles what the final stage copies and runs it, without Docker.

# 1. Build: every dependency (the compiler, and the emulator package whose types the library's --target local
#    import names), then the toolkit without anything local-only (the emulator package, tools/ and the commands built
#    on them: deploy/build.mjs --production), and the manifest without the workspace. tools/ is copied because the
#    compiler type-checks the local commands; the final stage copies only dist/, which no longer holds it.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY emulator/bigquery/package.json ./emulator/bigquery/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY deploy ./deploy
COPY includes ./includes
COPY emulator ./emulator
COPY src ./src
COPY tools ./tools
COPY scripts ./scripts
RUN npm run build -- --production && node deploy/production-manifest.mjs production

# 2. Run: the runtime dependencies only. The local stack's engines (DuckDB, polyglot) and the emulator package are not
#    installed (they belong to the emulator workspace, which the production manifest leaves out): --target bigquery
#    never loads them (test/warehouse/module-graph.test.ts), and --target local says the image has no local stack.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/production/package.json /app/production/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY dataform.json ./
COPY definitions ./definitions
COPY includes ./includes

# .local/ holds the dataform CLI's per-target credentials file and its scratch folder.
RUN mkdir -p .local && chown node:node .local
USER node

ENTRYPOINT ["node", "dist/scripts/gradeguard.js"]
CMD ["--help"]
