# The gitops-failover bot (Probot app). Two stages: the build stage bundles bot/server.ts with esbuild,
# the runtime stage is node:24-slim with that one file and its licence notices, running as the
# unprivileged `node` user (uid 1000). Both stages use the same base image, pinned by digest so a
# rebuild is the same image; Dependabot (.github/dependabot.yml) proposes digest updates.
#   docker build -t gitops-failover-bot .
#   docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -e FAILOVER_ALERT_TOKENS gitops-failover-bot
# The release workflow (.github/workflows/release.yml) builds and pushes it with VERSION and REVISION set.

FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Dev dependencies are needed to bundle (esbuild); lifecycle scripts are not.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-bot.mjs scripts/esbuild-options.mjs scripts/third-party-notices.mjs ./scripts/
COPY bot ./bot
COPY src ./src
RUN node scripts/build-bot.mjs /out

FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="gitops-failover-bot" \
      org.opencontainers.image.description="Turns alerts and /failover commands into reviewed, signed failover pull requests." \
      org.opencontainers.image.source="https://github.com/gitops-failover/gitops-failover" \
      org.opencontainers.image.documentation="https://github.com/gitops-failover/gitops-failover/blob/main/docs/production.md" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="gitops-failover" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=root:root /out/server.mjs /out/THIRD-PARTY-NOTICES.txt ./
COPY --chown=root:root LICENSE ./LICENSE
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.mjs"]
