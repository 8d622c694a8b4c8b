# The gradeguard commands as one image for Cloud Run jobs (grade, consolidate, check, monitor, locks, remediate,
# cleanup): `node --import tsx scripts/<command>.ts ...`. Build from the repository root (docs/operations.md):
#   gcloud builds submit --tag REGION-docker.pkg.dev/PROJECT/gradeguard/gradeguard:TAG .
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
# Runtime dependencies only. The local stack's engines (DuckDB, polyglot) are dropped: --target bigquery never loads
# them (test/warehouse/module-graph.test.ts), and the emulator code is not copied.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@duckdb node_modules/@polyglot-sql \
 && npm cache clean --force

COPY dataform.json ./
COPY definitions ./definitions
COPY includes ./includes
COPY src ./src
COPY scripts ./scripts

# .local/ holds the dataform CLI's per-target credentials file and its scratch folder.
RUN mkdir -p .local && chown node:node .local
USER node

ENTRYPOINT ["node", "--import", "tsx"]
CMD ["scripts/grade.ts", "--help"]
