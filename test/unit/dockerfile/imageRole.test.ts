import * as assert from 'node:assert/strict';
import { createContext } from '../../../src/diagnostics/dockerfile/context';
import { imageRoles } from '../../../src/diagnostics/dockerfile/imageRole';
import { defaultConfig } from '../../../src/diagnostics/config';
import { prepareLint } from '../../../src/diagnostics/engine';
import { byCode, df, lintText } from './helpers';

const roles = (text: string, filePath = '/project/Dockerfile') => imageRoles(createContext(text, filePath, defaultConfig(), { readFile: () => undefined }));
const course = (text: string, filePath?: string) => {
  const fs = lintText(text, filePath ? { filePath } : {});
  return { root: byCode(fs, 'no-root-user').length, health: byCode(fs, 'require-healthcheck').length };
};

describe('what kind of image a Dockerfile builds, and which stages ship', () => {
  before(() => prepareLint());

  it('a service: something to run, a port, or a server base image', () => {
    assert.equal(roles(df('FROM node:20', 'EXPOSE 3000', 'CMD ["node", "server.js"]')).final?.kind, 'service');
    assert.equal(roles(df('FROM nginx:1.27-alpine', 'COPY dist /usr/share/nginx/html')).final?.kind, 'service');
    assert.equal(roles(df('FROM python:3.12', 'CMD ["python", "worker.py"]')).final?.kind, 'service');
  });

  it('a base or language image: nothing to run but a prompt, or ONBUILD triggers', () => {
    for (const text of [df('FROM debian:12', 'RUN apt-get update'), df('FROM debian:12', 'CMD ["bash"]'), df('FROM alpine:3', 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["python3"]'),
      df('FROM alpine:3', 'CMD ["php", "-a"]'), df('FROM node:20', 'ONBUILD COPY . /app')]) {
      assert.equal(roles(text).final?.kind, 'base', text);
    }
  });

  it('an export image: FROM scratch with nothing to run', () => {
    assert.equal(roles(df('FROM golang:1.22 AS build', 'RUN go build -o /out/app', 'FROM scratch', 'COPY --from=build /out/ /')).final?.kind, 'export');
    assert.equal(roles(df('FROM scratch', 'COPY app /', 'ENTRYPOINT ["/app"]')).final?.kind, 'service');
  });

  it('tooling: devcontainers, CI and build-tool images, by folder, name or base image', () => {
    assert.equal(roles(df('FROM node:20', 'CMD ["sleep", "infinity"]'), '/repo/.devcontainer/Dockerfile').final?.kind, 'tooling');
    assert.equal(roles(df('FROM mcr.microsoft.com/devcontainers/python:3.12', 'CMD ["x"]')).final?.kind, 'tooling');
    assert.equal(roles(df('FROM cimg/base:2024.01', 'CMD ["x"]')).final?.kind, 'tooling');
    assert.equal(roles(df('FROM golang:1.22', 'ENTRYPOINT ["golangci-lint"]'), '/repo/hack/dockerfiles/lint.Dockerfile').final?.kind, 'tooling');
    assert.equal(roles(df('FROM golang:1.22', 'ENTRYPOINT ["golangci-lint"]'), '/repo/Dockerfile.test').final?.kind, 'tooling');
  });

  it('stages ship when the final stage is built on them; builders only copied from do not', () => {
    const r = roles(df('FROM node:20 AS deps', 'FROM deps AS build', 'FROM node:20 AS base', 'FROM base', 'COPY --from=build /app /app'));
    assert.deepEqual(r.stages.map((s) => [s.ships, s.builderOnly]), [[false, true], [false, true], [true, false], [true, false]]);
  });

  it('the entrypoint dropping root and a nonroot base tag are seen', () => {
    assert.equal(roles(df('FROM debian:12', 'RUN apt-get install -y gosu', 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["postgres"]')).final?.dropsPrivileges, 'gosu');
    assert.equal(roles(df('FROM alpine:3', 'ENTRYPOINT ["su-exec", "app", "/srv"]')).final?.dropsPrivileges, 'su-exec');
    assert.equal(roles(df('FROM debian:12', 'CMD ["setpriv", "--reuid=1000", "app"]')).final?.dropsPrivileges, 'setpriv');
    assert.equal(roles(df('FROM gcr.io/distroless/static-debian12:nonroot', 'COPY app /', 'ENTRYPOINT ["/app"]')).final?.nonRootBase, 'gcr.io/distroless/static-debian12:nonroot');
  });

  it('Windows images, by base image or SHELL', () => {
    assert.equal(roles(df('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'CMD ["x.exe"]')).final?.windows, true);
    assert.equal(roles(df('FROM golang:1.22-nanoserver-ltsc2022', 'CMD ["x.exe"]')).final?.windows, true);
    assert.equal(roles(df('FROM base:1', 'SHELL ["powershell", "-Command"]', 'CMD ["x.exe"]')).final?.windows, true);
    assert.equal(roles(df('FROM debian:12', 'CMD ["x"]')).final?.windows, false);
  });
});

describe('course rules only on images that are services', () => {
  it('fire on a service: no USER and no HEALTHCHECK', () => {
    assert.deepEqual(course(df('FROM node:20', 'EXPOSE 3000', 'CMD ["node", "server.js"]')), { root: 1, health: 1 });
    assert.deepEqual(course(df('FROM nginx:1.27', 'COPY dist /usr/share/nginx/html')), { root: 0, health: 1 }, 'nginx listens, and its workers drop root');
  });

  it('stay silent on base and language images', () => {
    assert.deepEqual(course(df('FROM debian:12', 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*', 'CMD ["bash"]')), { root: 0, health: 0 });
    assert.deepEqual(course(df('FROM alpine:3', 'ENV PYTHON_VERSION=3.12', 'CMD ["python3"]')), { root: 0, health: 0 });
  });

  it('stay silent on FROM scratch export stages and when the final stage is a builder target', () => {
    assert.deepEqual(course(df('FROM golang:1.22 AS build', 'RUN go build -o /out/app', 'FROM scratch AS binaries', 'COPY --from=build /out/ /')), { root: 0, health: 0 });
  });

  it('stay silent on devcontainer, CI and tooling images', () => {
    assert.deepEqual(course(df('FROM mcr.microsoft.com/devcontainers/base:ubuntu', 'EXPOSE 8080', 'CMD ["sleep", "infinity"]')), { root: 0, health: 0 });
    assert.deepEqual(course(df('FROM node:20', 'EXPOSE 8080', 'CMD ["npm", "start"]'), '/repo/.devcontainer/Dockerfile'), { root: 0, health: 0 });
    assert.deepEqual(course(df('FROM golang:1.22', 'ENTRYPOINT ["golangci-lint", "run"]'), '/repo/hack/dockerfiles/lint.Dockerfile'), { root: 0, health: 0 });
    assert.deepEqual(course(df('FROM node:20', 'EXPOSE 3000', 'CMD ["npm", "run", "dev"]'), '/repo/Dockerfile.dev'), { root: 0, health: 0 });
    assert.deepEqual(course(df('FROM node:20 AS base', 'FROM base AS dev', 'EXPOSE 3000', 'CMD ["npm", "run", "dev"]')), { root: 0, health: 0 }, 'final stage named dev');
    assert.equal(course(df('FROM mcr.microsoft.com/devcontainers/base:ubuntu', 'USER root')).root, 0, 'even an explicit USER root');
  });

  it('no-root-user stays silent when the entrypoint drops privileges or the base tag says nonroot', () => {
    assert.equal(course(df('FROM debian:12', 'RUN apt-get install -y gosu', 'EXPOSE 5432', 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["postgres"]')).root, 0);
    assert.equal(course(df('FROM alpine:3', 'RUN apk add --no-cache su-exec', 'EXPOSE 80', 'CMD ["su-exec", "nobody", "httpd"]')).root, 0);
    assert.equal(course(df('FROM gcr.io/distroless/static:nonroot', 'COPY app /', 'EXPOSE 8080', 'ENTRYPOINT ["/app"]')).root, 0);
    assert.equal(course(df('FROM debian:12', 'RUN apt-get install -y gosu', 'USER root', 'EXPOSE 5432', 'CMD ["postgres"]')).root, 0, 'even an explicit USER root');
  });

  it('no-root-user still reports an explicit final USER root in any image (hadolint DL3002)', () => {
    assert.equal(course(df('FROM debian:12', 'USER root')).root, 1);
    assert.equal(course(df('FROM nginx:1.27', 'USER root')).root, 1);
  });

  it('no-root-user leaves the user to a start script the image brings, which the file does not show', () => {
    assert.equal(course(df('FROM debian:12', 'COPY start.sh /', 'EXPOSE 8080', 'CMD ["/start.sh"]')).root, 0);
    assert.equal(course(df('FROM alpine:3', 'EXPOSE 9000', 'ENTRYPOINT ["/usr/bin/docker-entrypoint.sh"]', 'CMD ["minio"]')).root, 0);
    assert.equal(course(df('FROM alpine:3', 'EXPOSE 9000', 'ENTRYPOINT ["/sbin/tini", "--"]', 'CMD ["minio"]')).root, 1, 'tini is no script');
  });

  it('no-root-user leaves root to daemons that hand work to unprivileged workers, and to programs that need it', () => {
    assert.equal(course(df('FROM debian:12', 'EXPOSE 25', 'CMD ["supervisord", "-c", "/etc/supervisor/supervisord.conf"]')).root, 0);
    assert.equal(course(df('FROM alpine:3', 'ENTRYPOINT ["/usr/bin/dumb-init", "/bin/sh", "docker-bench-security.sh"]')).root, 0);
    assert.equal(course(df('FROM debian:12', 'EXPOSE 80', 'CMD ["httpd-foreground"]')).root, 0);
    assert.equal(course(df('FROM alpine:3', 'EXPOSE 9000', 'ENTRYPOINT ["docker-php-entrypoint"]', 'CMD ["php-fpm"]')).root, 0);
    assert.equal(course(df('FROM postgres:16', 'COPY init.sql /docker-entrypoint-initdb.d/')).root, 0);
    assert.equal(course(df('FROM docker:27-cli', 'EXPOSE 2375', 'ENTRYPOINT ["dockerd-entrypoint.sh"]', 'CMD []')).root, 0);
  });

  it('no-root-user on a missing USER only where the base image runs as root by default', () => {
    assert.equal(course(df('FROM grafana/grafana:11.0.0', 'EXPOSE 3000', 'CMD ["grafana", "server"]')).root, 0, 'an application image sets its own user');
    assert.equal(course(df('FROM python:3.12-slim', 'EXPOSE 8000', 'CMD ["gunicorn", "app:app"]')).root, 1);
    assert.equal(course(df('FROM gcr.io/distroless/static-debian12', 'COPY app /', 'EXPOSE 8080', 'ENTRYPOINT ["/app"]')).root, 1);
    assert.equal(course(df('FROM scratch', 'COPY app /', 'EXPOSE 8080', 'ENTRYPOINT ["/app"]')).root, 1);
  });

  it('no-root-user does not ask a Windows image for a Linux user', () => {
    assert.equal(course(df('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'EXPOSE 80', 'CMD ["app.exe"]')).root, 0);
  });

  it('require-healthcheck only where something listens: not on a worker with no port', () => {
    assert.equal(course(df('FROM python:3.12', 'CMD ["python", "worker.py"]')).health, 0);
    assert.equal(course(df('FROM python:3.12', 'EXPOSE 8000', 'CMD ["gunicorn", "app:app"]')).health, 1);
  });
});

describe('layer rules skip builder stages whose layers never ship', () => {
  const codes = (text: string, code: string) => byCode(lintText(text), code).length;
  const builder = (body: string[]) => df('FROM alpine:3 AS build', ...body, 'FROM alpine:3', 'COPY --from=build /out /out', 'CMD ["/out/app"]');

  it('chain-run, apk-no-cache, pip-no-cache-dir and apt-clean-lists agree', () => {
    assert.equal(codes(builder(['RUN apk add go', 'RUN go build -o /out/app']), 'chain-run'), 0);
    assert.equal(codes(builder(['RUN apk add go']), 'apk-no-cache'), 0);
    assert.equal(codes(builder(['RUN pip install -r requirements.txt']), 'pip-no-cache-dir'), 0);
    assert.equal(codes(builder(['RUN apt-get update && apt-get install -y --no-install-recommends gcc=1']), 'apt-clean-lists'), 0);
    assert.equal(codes(df('FROM alpine:3', 'RUN apk add go', 'RUN go build'), 'chain-run'), 1, 'the final stage ships');
    assert.equal(codes(df('FROM alpine:3', 'RUN apk add go'), 'apk-no-cache'), 1);
    assert.equal(codes(df('FROM python:3.12', 'RUN pip install flask==3.0.0'), 'pip-no-cache-dir'), 1);
  });

  it('a stage the final stage is built FROM ships (FROM base-${V} resolves through the ARG default)', () => {
    assert.equal(codes(df('ARG V=prod', 'FROM alpine:3 AS base-prod', 'RUN apk add curl', 'FROM base-${V}', 'CMD ["x"]'), 'apk-no-cache'), 1);
  });
});
