import * as assert from 'node:assert/strict';
import { at, lintCompose, only, yaml } from './helpers';

describe('compose: production rules', () => {
  describe('require-healthcheck', () => {
    it('fires on the service key of a service without a healthcheck', () => {
      const fs = only(lintCompose(yaml('services:', '  web:', '    image: app:1')), 'require-healthcheck');
      assert.deepEqual(fs.map(at), ['2:3-2:6']);
      assert.equal(fs[0].severity, 'info');
    });

    it('stays silent with a healthcheck, a disabled one, or one inherited through a merge key', () => {
      const text = yaml(
        'x-hc: &hc',
        '  healthcheck: {test: ["CMD", "true"]}',
        'services:',
        '  a: {image: app:1, healthcheck: {test: ["CMD", "true"]}}',
        '  b: {image: app:1, healthcheck: {disable: true}}',
        '  c:',
        '    <<: *hc',
        '    image: app:1',
      );
      assert.deepEqual(only(lintCompose(text), 'require-healthcheck'), []);
    });

    it('reads the Dockerfile the service builds: silent when its final stage has HEALTHCHECK', () => {
      const files = {
        'api/Dockerfile': 'FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD ["node","server.js"]\n',
        'worker/Dockerfile.prod': 'FROM python:3.12\nHEALTHCHECK CMD true\nFROM python:3.12-slim\nCMD ["python","w.py"]\n',
      };
      const text = yaml('services:', '  api:', '    build: ./api', '  worker:', '    build:', '      context: worker', '      dockerfile: Dockerfile.prod');
      const fs = only(lintCompose(text, { files }), 'require-healthcheck');
      assert.deepEqual(fs.map(at), ['4:3-4:9'], 'only the worker: its HEALTHCHECK is in an earlier stage');
    });

    it('follows build targets and stages built FROM other stages', () => {
      const files = { Dockerfile: 'FROM node:22 AS base\nHEALTHCHECK CMD true\nFROM base AS prod\nCMD ["node"]\nFROM node:22 AS test\nCMD ["npm","test"]\n' };
      const text = yaml('services:', '  prod:', '    build: {context: ., target: prod}', '  test:', '    build: {context: ., target: test}');
      assert.deepEqual(only(lintCompose(text, { files }), 'require-healthcheck').map(at), ['4:3-4:7']);
    });

    it('reports a service whose Dockerfile cannot be read', () => {
      assert.equal(only(lintCompose(yaml('services:', '  api:', '    build: ./missing')), 'require-healthcheck').length, 1);
    });
  });

  describe('require-restart-policy and require-resource-limits', () => {
    it('fire as hints on the service key', () => {
      const fs = lintCompose(yaml('services:', '  web:', '    image: app:1'));
      assert.deepEqual(only(fs, 'require-restart-policy').map((f) => [at(f), f.severity]), [['2:3-2:6', 'hint']]);
      assert.deepEqual(only(fs, 'require-resource-limits').map((f) => [at(f), f.severity]), [['2:3-2:6', 'hint']]);
    });

    it('stay silent when restart, deploy.restart_policy and deploy limits are set', () => {
      const text = yaml(
        'services:',
        '  a: {image: app:1, restart: unless-stopped, mem_limit: 256m, cpus: 0.5}',
        '  b:',
        '    image: app:1',
        '    deploy:',
        '      restart_policy: {condition: on-failure}',
        '      resources: {limits: {memory: 256M, cpus: "0.5"}}',
      );
      const fs = lintCompose(text);
      assert.deepEqual(only(fs, 'require-restart-policy'), []);
      assert.deepEqual(only(fs, 'require-resource-limits'), []);
    });

    it('names the limit that is missing', () => {
      const fs = only(lintCompose(yaml('services:', '  a: {image: app:1, mem_limit: 256m}')), 'require-resource-limits');
      assert.match(fs[0].message, /no CPU limit/);
    });
  });

  describe('depends-on-healthy', () => {
    const db = ['  db:', '    image: postgres:16', '    healthcheck: {test: ["CMD", "pg_isready"]}'];

    it('fires on short syntax and on long syntax without a condition, at the dependency', () => {
      const short = only(lintCompose(yaml('services:', '  web:', '    image: app:1', '    depends_on: [db]', ...db)), 'depends-on-healthy');
      assert.deepEqual(short.map(at), ['4:18-4:20']);
      const long = only(lintCompose(yaml('services:', '  web:', '    image: app:1', '    depends_on:', '      db:', '        restart: true', ...db)), 'depends-on-healthy');
      assert.deepEqual(long.map(at), ['5:7-5:9']);
    });

    it('stays silent with condition: service_healthy, or when the dependency has no healthcheck', () => {
      assert.deepEqual(only(lintCompose(yaml('services:', '  web:', '    image: app:1', '    depends_on: {db: {condition: service_healthy}}', ...db)), 'depends-on-healthy'), []);
      assert.deepEqual(only(lintCompose(yaml('services:', '  web:', '    image: app:1', '    depends_on: [cache]', '  cache:', '    image: redis:7')), 'depends-on-healthy'), []);
    });

    it('counts a HEALTHCHECK in the dependency\'s Dockerfile', () => {
      const files = { 'db/Dockerfile': 'FROM postgres:16\nHEALTHCHECK CMD pg_isready\n' };
      const fs = only(lintCompose(yaml('services:', '  web:', '    image: app:1', '    depends_on: [db]', '  db:', '    build: ./db'), { files }), 'depends-on-healthy');
      assert.equal(fs.length, 1);
    });
  });
});
