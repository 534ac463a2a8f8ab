# kubesim in a container: the image `kubesim sweep job --image` refers to.
#   docker build -t kubesim:$(node -p "require('./package.json').version") .
#   docker run --rm -v "$PWD:/work" -w /work kubesim:0.1.0 run scenarios/quickstart.yaml
# Build stage: all dependencies (TypeScript), compile to dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY bench ./bench
RUN npm ci --ignore-scripts && npm run build

# Runtime: production dependencies only, the compiled CLI, the example scenarios.
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` compiles with tsc, a dev dependency; dist/ comes from the build stage.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY scenarios ./scenarios
RUN ln -s /app/dist/src/cli/main.js /usr/local/bin/kubesim
# uid 1000 (the Job's securityContext runs as it, with fsGroup 1000 for the results volume).
USER node
ENTRYPOINT ["kubesim"]
