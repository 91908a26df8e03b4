# driftwatch container image: `docker compose up` builds it (see docker-compose.yml).
#   docker build -t driftwatch .
#   docker run --rm driftwatch --help
#
# Only the paths the build needs are copied, so a dev checkout's node_modules, .cache and
# .kafka never reach the image.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime deps only; @duckdb/node-api brings its prebuilt linux binary (glibc, fine on slim).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
COPY rules ./rules
# Relative paths in the config (./data/driftwatch.duckdb, ./rules, baselines/…) resolve
# against /app; /app/data is the volume and must be writable by the unprivileged user.
RUN mkdir -p /app/data /app/baselines && chown node:node /app/data
USER node
EXPOSE 9464
ENTRYPOINT ["node", "bin/driftwatch.js"]
CMD ["run", "--config", "/config/driftwatch.yaml"]
