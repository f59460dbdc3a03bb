# The gateway and its simulators in one image: `docker compose up` runs `serve` from it, and the demo SMSCs and
# virtual modem run `simulate smsc` / `simulate modem` from the same build.
FROM node:24-slim

# socat makes the virtual modem's pseudo-terminal (the `modem` demo service).
RUN apt-get update \
  && apt-get install -y --no-install-recommends socat \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
# The fixes to dependencies that npm's postinstall applies (patch-package).
COPY patches ./patches
# Dev dependencies stay out; tsx is a runtime dependency because bin/smsgw.js runs the TypeScript sources
# through its loader. serialport's native binding comes from its prebuilds (linux x64 and arm64, glibc).
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY api ./api
COPY gateway ./gateway
COPY router ./router
COPY drivers ./drivers
COPY simulator ./simulator
COPY common ./common
COPY config ./config

USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/smsgw.js"]
CMD ["serve", "--config", "/etc/smsgw/gateway.yaml"]
