import * as assert from 'node:assert/strict';
import { at, codes, lintCompose, only, yaml } from './helpers';

const errors = (fs: ReturnType<typeof lintCompose>) => fs.filter((f) => f.severity === 'error');

describe('compose: loading as compose-go does', () => {
  it('accepts the keys the current specification added (initial_sync, pre_start, provenance, sbom, no_cache_filter)', () => {
    const fs = lintCompose(
      yaml(
        'services:',
        '  web:',
        '    image: app:1.0',
        '    build:',
        '      context: .',
        '      provenance: true',
        '      sbom: true',
        '      no_cache_filter: [deps]',
        '    pre_start:',
        '      - command: ["./migrate"]',
        '    develop:',
        '      watch:',
        '        - path: ./src',
        '          target: /app/src',
        '          action: sync',
        '          initial_sync: true',
      ),
    );
    assert.deepEqual(only(fs, 'compose-schema'), []);
  });

  it('removes repeated environment, port and volume entries before validating, as compose does', () => {
    const fs = lintCompose(
      yaml('services:', '  web:', '    image: app:1.0', '    environment:', '      - A=1', '      - A=2', '    ports:', '      - "8080:80"', '      - "8080:80"', '    volumes:', '      - ./a:/data', '      - ./a:/data'),
    );
    assert.deepEqual(only(fs, 'compose-schema'), []);
  });

  it('still reports repeated entries in lists compose does not deduplicate, at the right item', () => {
    const fs = only(lintCompose(yaml('services:', '  web:', '    image: app:1.0', '    environment: [A=1, A=2]', '    depends_on: [db, db]', '  db:', '    image: db:1')), 'compose-schema');
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /depends_on lists the same item twice/);
  });

  it('maps schema errors after a removed repeat back to the line they are on', () => {
    const fs = only(lintCompose(yaml('services:', '  web:', '    image: app:1.0', '    ports:', '      - "80:80"', '      - "80:80"', '      - {target: 81, publishd: 8081}')), 'compose-schema');
    assert.equal(fs.length, 1);
    assert.equal(fs[0].range.start.line, 6);
  });

  it('merges the documents of a multi-document file instead of reporting the parser API', () => {
    const fs = lintCompose(yaml('services:', '  web:', '    image: app:1.0', '---', 'services:', '  web:', '    ports: ["8080:80"]', '  db:', '    image: postgres:16', '    depends_on: [web]'));
    assert.ok(!fs.some((f) => /parseAllDocuments|multiple documents/i.test(f.message)), fs.map((f) => f.message).join('\n'));
    assert.deepEqual(errors(fs), []);
  });

  it('checks later documents too', () => {
    const fs = lintCompose(yaml('services:', '  web:', '    image: app:1.0', '---', 'services:', '  web:', '    enviroment: {A: "1"}'));
    const schema = only(fs, 'compose-schema');
    assert.equal(schema.length, 1);
    assert.equal(at(schema[0]), '7:5-7:15');
  });

  it('resolves an include path written with ${VAR:-default}', () => {
    const text = yaml('include:', '  - ${STACK_DIR:-./stack}/db.yaml', 'services:', '  web:', '    image: app:1.0', '    depends_on: [db]', '    volumes: [data:/data]');
    const files = { 'stack/db.yaml': yaml('services:', '  db:', '    image: postgres:16', 'volumes:', '  data: {}') };
    assert.deepEqual(only(lintCompose(text, { files }), 'no-undeclared-reference'), []);
    assert.equal(only(lintCompose(text), 'no-undeclared-reference').length, 2);
  });

  it('reports an unknown alias as an unknown alias, not an alias bomb, and keeps the other checks', () => {
    const fs = lintCompose(yaml('services:', '  web:', '    image: app', '    environment: *envs', '    privileged: true'));
    const syntax = only(fs, 'compose-syntax');
    assert.equal(syntax.length, 1);
    assert.match(syntax[0].message, /Unknown alias \*envs/);
    assert.doesNotMatch(syntax[0].message, /billion|enormous/);
    assert.equal(at(syntax[0]), '4:18-4:23');
    assert.ok(codes(fs).includes('no-privileged'));
    assert.ok(codes(fs).includes('no-latest-tag'));
  });

  it('reports a merge key that brings in a scalar', () => {
    const fs = lintCompose(yaml('x-name: &name hello', 'services:', '  web:', '    <<: *name', '    image: app:1.0', '    privileged: true'));
    const syntax = only(fs, 'compose-syntax');
    assert.equal(syntax.length, 1);
    assert.match(syntax[0].message, /merge key \(<<\) must bring in a mapping.*"hello"/);
    assert.ok(codes(fs).includes('no-privileged'));
  });
});

describe('compose: compose-go consistency checks', () => {
  const consistency = (text: string, opts?: Parameters<typeof lintCompose>[1]) => only(lintCompose(text, opts), 'compose-consistency');

  it('finds a depends_on cycle once, at the edge that closes it', () => {
    const fs = consistency(yaml('services:', '  a:', '    image: x:1', '    depends_on: [b]', '  b:', '    image: x:1', '    depends_on: [c]', '  c:', '    image: x:1', '    depends_on: [a]'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /Dependency cycle: a -> b -> c -> a/);
    assert.equal(fs[0].range.start.line, 9);
  });

  it('finds a service that depends on itself, and a cycle through links', () => {
    assert.equal(consistency(yaml('services:', '  a:', '    image: x:1', '    depends_on: [a]')).length, 1);
    assert.equal(consistency(yaml('services:', '  a:', '    image: x:1', '    links: [b]', '  b:', '    image: x:1', '    depends_on: [a]')).length, 1);
  });

  it('finds an include cycle', () => {
    const fs = consistency(yaml('include: [other.yaml]', 'services:', '  a:', '    image: x:1'), { files: { 'other.yaml': yaml('include: [compose.yaml]') } });
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /Include cycle: compose.yaml -> other.yaml -> compose.yaml/);
  });

  it('refuses external volumes with driver, driver_opts or labels, and name with external.name', () => {
    const fs = consistency(yaml('services:', '  a:', '    image: x:1', 'volumes:', '  v:', '    external: true', '    driver: local', '    driver_opts: {type: nfs}', '    labels: [a=b]', '  w:', '    name: w', '    external:', '      name: w2'));
    assert.equal(fs.length, 4, fs.map((f) => f.message).join('\n'));
  });

  it('refuses network_mode with networks', () => {
    const fs = consistency(yaml('services:', '  a:', '    image: x:1', '    network_mode: host', '    networks: [n]', 'networks:', '  n: {}'));
    assert.equal(fs.length, 1);
    assert.equal(fs[0].range.start.line, 4);
  });

  it('reports a service an extended service depends on that this project lacks', () => {
    const files = { 'base.yaml': yaml('services:', '  base:', '    image: x:1', '    depends_on: [zot]', '  zot:', '    image: x:1') };
    const fs = only(lintCompose(yaml('services:', '  bar:', '    extends:', '      file: base.yaml', '      service: base'), { files }), 'no-undeclared-reference');
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /depends on "zot"/);
  });

  it('reports build secrets that are not declared', () => {
    const fs = only(lintCompose(yaml('services:', '  a:', '    build:', '      context: .', '      secrets: [npmrc]')), 'no-undeclared-reference');
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /builds with the secret "npmrc"/);
    assert.deepEqual(only(lintCompose(yaml('services:', '  a:', '    build:', '      context: .', '      secrets: [npmrc]', 'secrets:', '  npmrc:', '    file: ./.npmrc')), 'no-undeclared-reference'), []);
  });

  it('refuses a GPU count that is a word, or given with device_ids', () => {
    const fs = consistency(
      yaml('services:', '  a:', '    image: x:1', '    deploy:', '      resources:', '        reservations:', '          devices:', '            - capabilities: [gpu]', '              count: some_string', '            - capabilities: [gpu]', '              count: 1', '              device_ids: ["0"]'),
    );
    assert.equal(fs.length, 2);
    assert.deepEqual(consistency(yaml('services:', '  a:', '    image: x:1', '    gpus:', '      - count: all', '      - count: 2')), []);
  });

  it('refuses "- NAME = value" in a list-form environment', () => {
    const fs = consistency(yaml('services:', '  a:', '    image: x:1', '    environment:', '      - DEBUG = true', '      - OK=1'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /Write DEBUG=true/);
  });

  it('refuses a healthcheck test that does not start with CMD, CMD-SHELL or NONE, and two mounts at one path', () => {
    assert.equal(consistency(yaml('services:', '  a:', '    image: x:1', '    healthcheck:', '      test: ["curl", "-f", "http://localhost"]')).length, 1);
    assert.equal(consistency(yaml('services:', '  a:', '    image: x:1', '    tmpfs: /data', '    volumes: [./d:/data]')).length, 1);
  });

  it('reports a service with neither image nor build in a base file only', () => {
    const text = yaml('services:', '  a:', '    environment: [A=1]');
    assert.equal(consistency(text).length, 1);
    assert.deepEqual(consistency(text, { file: 'compose.prod.yaml', files: { 'compose.yaml': yaml('services:', '  a:', '    image: x:1') } }), []);
    assert.deepEqual(consistency(text, { file: 'quickstart-mysql.yml' }), []);
  });

  it('leaves a valid file alone', () => {
    const fs = lintCompose(
      yaml(
        'services:',
        '  web:',
        '    image: app:1.0',
        '    depends_on:',
        '      db: {condition: service_healthy}',
        '    networks: [back]',
        '    environment: [A=1]',
        '  db:',
        '    image: postgres:16',
        '    healthcheck: {test: ["CMD-SHELL", "pg_isready"]}',
        '    networks: [back]',
        'networks:',
        '  back: {}',
        'volumes:',
        '  ext: {external: true, name: shared}',
      ),
    );
    assert.deepEqual(only(fs, 'compose-consistency'), []);
  });
});
