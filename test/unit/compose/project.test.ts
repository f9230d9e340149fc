import * as assert from 'node:assert/strict';
import { siblingFiles } from '../../../src/diagnostics/compose/project';
import { at, codes, lintCompose, only, yaml } from './helpers';

describe('compose: project rules', () => {
  describe('no-version-field', () => {
    it('fires on the top-level version line', () => {
      const fs = only(lintCompose(yaml('version: "3.8"', 'services:', '  web: {image: app:1}')), 'no-version-field');
      assert.deepEqual(fs.map(at), ['1:1-1:15']);
      assert.equal(fs[0].severity, 'info');
    });
    it('stays silent without one', () => assert.deepEqual(only(lintCompose(yaml('services:', '  web: {image: app:1}')), 'no-version-field'), []));
  });

  describe('no-undeclared-reference', () => {
    it('reports volumes, networks, secrets, configs and services that are not declared', () => {
      const text = yaml(
        'services:',
        '  web:',
        '    image: app:1',
        '    volumes: [data:/data, ./src:/src, /abs:/abs, cache:/cache]',
        '    networks: [front, default]',
        '    secrets: [api_key, {source: tls}]',
        '    configs: [nginx]',
        '    depends_on: {db: {condition: service_started}, ghost: {condition: service_started}}',
        '  db: {image: postgres:16}',
        'volumes: {cache: {}}',
        'secrets: {tls: {file: ./tls.pem}}',
      );
      const fs = only(lintCompose(text), 'no-undeclared-reference');
      assert.deepEqual(
        fs.map((f) => [at(f), (f.data as { name: string }).name]),
        [
          ['4:15-4:25', 'data'],
          ['5:16-5:21', 'front'],
          ['6:15-6:22', 'api_key'],
          ['7:15-7:20', 'nginx'],
          ['8:52-8:57', 'ghost'],
        ],
      );
      assert.equal(fs[0].severity, 'error');
    });

    it('finds what included files and the override file declare', () => {
      const files = {
        'db/compose.yaml': yaml('services:', '  db: {image: postgres:16}', 'volumes: {pgdata: {}}'),
        'compose.override.yaml': yaml('services:', '  web: {networks: [debug]}', '  mailhog: {image: mailhog/mailhog:v1.0.1}', 'networks: {debug: {}}'),
      };
      const text = yaml('include:', '  - db/compose.yaml', 'services:', '  web:', '    image: app:1', '    depends_on: [db, mailhog]', '    volumes: [pgdata:/x]', '    networks: [debug]');
      assert.deepEqual(only(lintCompose(text, { files }), 'no-undeclared-reference'), []);
      // Without the other files, every one of those references is missing.
      assert.equal(only(lintCompose(text), 'no-undeclared-reference').length, 4);
    });

    it('an override file is linted against its base file', () => {
      const files = { 'compose.yaml': yaml('services:', '  web: {image: app:1, healthcheck: {test: ["CMD", "true"]}, restart: always}', '  db: {image: postgres:16}') };
      const fs = lintCompose(yaml('services:', '  web:', '    depends_on: [db]', '    ports: ["8080:80"]'), { files, file: 'compose.override.yaml' });
      assert.deepEqual(codes(fs).filter((c) => c !== 'require-resource-limits'), []);
    });

    it('resolves extends across files, and reports a target that does not exist', () => {
      const files = { 'common.yaml': yaml('services:', '  base:', '    image: app:1', '    restart: always', '    healthcheck: {test: ["CMD", "true"]}') };
      const ok = lintCompose(yaml('services:', '  web:', '    extends: {file: common.yaml, service: base}'), { files });
      assert.deepEqual(only(ok, 'no-undeclared-reference'), []);
      assert.deepEqual(only(ok, 'require-healthcheck'), [], 'the healthcheck comes from the extended service');
      assert.deepEqual(only(ok, 'require-restart-policy'), []);
      const bad = only(lintCompose(yaml('services:', '  web:', '    extends: {file: common.yaml, service: bsae}'), { files }), 'no-undeclared-reference');
      assert.deepEqual(bad.map(at), ['3:43-3:47']);
      const local = only(lintCompose(yaml('services:', '  web:', '    extends: nothere', '    image: app:1')), 'no-undeclared-reference');
      assert.equal(local.length, 1);
    });

    it('survives extends and include cycles', () => {
      const files = { 'a.yaml': yaml('include: [compose.yaml]', 'services:', '  a: {extends: {file: compose.yaml, service: web}}') };
      const text = yaml('include: [a.yaml]', 'services:', '  web:', '    extends: web', '    image: app:1', '  loop1: {extends: loop2, image: app:1}', '  loop2: {extends: loop1, image: app:1}');
      const fs = lintCompose(text, { files });
      assert.deepEqual(only(fs, 'no-undeclared-reference'), []);
    });

    it('reads include entries in their long form', () => {
      const files = { 'infra/db.yaml': yaml('services:', '  db: {image: postgres:16}'), 'infra/cache.yaml': yaml('services:', '  cache: {image: redis:7}') };
      const text = yaml('include:', '  - path: [infra/db.yaml, infra/cache.yaml]', 'services:', '  web: {image: app:1, depends_on: [db, cache]}');
      assert.deepEqual(only(lintCompose(text, { files }), 'no-undeclared-reference'), []);
    });

    it('knows the override and base file names', () => {
      assert.deepEqual(siblingFiles('/p/compose.yaml'), ['/p/compose.override.yaml', '/p/compose.override.yml']);
      assert.deepEqual(siblingFiles('/p/compose.override.yml'), ['/p/compose.yaml', '/p/compose.yml']);
      assert.ok(siblingFiles('/p/docker-compose.prod.yml').includes('/p/docker-compose.yml'));
      assert.deepEqual(siblingFiles('/p/stack.yaml'), []);
    });
  });

  describe('no-duplicate-container-name', () => {
    it('reports the second use, at the value', () => {
      const fs = only(lintCompose(yaml('services:', '  a: {image: x:1, container_name: app}', '  b: {image: x:1, container_name: app}')), 'no-duplicate-container-name');
      assert.deepEqual(fs.map(at), ['3:35-3:38']);
    });
    it('stays silent for services in different profiles', () => {
      const text = yaml('services:', '  a: {image: x:1, container_name: app, profiles: [dev]}', '  b: {image: x:1, container_name: app, profiles: [prod]}');
      assert.deepEqual(only(lintCompose(text), 'no-duplicate-container-name'), []);
    });
  });

  describe('no-duplicate-host-port', () => {
    it('reports a host port published twice, across short and long syntax and ranges', () => {
      const text = yaml(
        'services:',
        '  a:',
        '    image: x:1',
        '    ports: ["8080:80", "9000-9005:9000-9005"]',
        '  b:',
        '    image: x:1',
        '    ports:',
        '      - target: 81',
        '        published: 8080',
        '      - "9003:1"',
      );
      const fs = only(lintCompose(text), 'no-duplicate-host-port');
      assert.deepEqual(fs.map((f) => f.range.start.line), [7, 9]);
      assert.equal(fs[0].severity, 'error');
    });
    it('stays silent for other protocols, other addresses and disjoint profiles', () => {
      const text = yaml(
        'services:',
        '  a: {image: x:1, ports: ["53:53/udp", "127.0.0.1:8080:80"], profiles: [dev]}',
        '  b: {image: x:1, ports: ["53:53/tcp", "127.0.0.2:8080:80"]}',
        '  c: {image: x:1, ports: ["7000:80"], profiles: [dev]}',
        '  d: {image: x:1, ports: ["7000:80"], profiles: [prod]}',
      );
      assert.deepEqual(only(lintCompose(text), 'no-duplicate-host-port'), []);
    });
  });
});
