# The gitops-failover bot (Probot app). Two stages: the build stage bundles bot/server.ts with esbuild,
# the runtime stage is node:24-slim with that one file, running as the unprivileged `node` user.
#   docker build -t gitops-failover-bot .
#   docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -e FAILOVER_ALERT_TOKENS gitops-failover-bot

FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Dev dependencies are needed to bundle (esbuild); lifecycle scripts are not.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-bot.mjs scripts/esbuild-options.mjs ./scripts/
COPY bot ./bot
COPY src ./src
RUN node scripts/build-bot.mjs /out

FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=root:root /out/server.mjs ./server.mjs
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.mjs"]
