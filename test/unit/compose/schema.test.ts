import * as assert from 'node:assert/strict';
import { closest } from '../../../src/diagnostics/compose/schema';
import { at, lintCompose, only, yaml } from './helpers';

const schema = (text: string) => only(lintCompose(text), 'compose-schema');

describe('compose: schema', () => {
  it('names the closest valid key for an unknown key, at the key', () => {
    const fs = schema(yaml('services:', '  web:', '    image: app:1', '    enviroment:', '      A: "1"'));
    assert.equal(fs.length, 1);
    assert.equal(fs[0].message, 'Unknown key "enviroment" in services.web. Did you mean "environment"?');
    assert.equal(at(fs[0]), '4:5-4:15');
    assert.equal(fs[0].severity, 'error');
  });

  it('lists the allowed values of an enum, at the value', () => {
    const fs = schema(yaml('services:', '  web:', '    image: app:1', '    depends_on:', '      db:', '        condition: service_ready', '  db:', '    image: db:1'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /"service_ready" is not allowed .*"service_started", "service_healthy", "service_completed_successfully"/);
    assert.equal(at(fs[0]), '6:20-6:33');
  });

  it('reports a restart policy compose does not know, with the ones it does', () => {
    const fs = schema(yaml('services:', '  web:', '    image: app:1', '    restart: sometimes'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /"sometimes" is not a restart policy: use one of "no", "always", "on-failure"/);
    assert.equal(at(fs[0]), '4:14-4:23');
  });

  it('says which type is expected, once, for values with several allowed shapes', () => {
    const fs = schema(yaml('services:', '  web:', '    image: app:1', '    ports: "80:80"', '    build: 42'));
    assert.deepEqual(
      fs.map((f) => f.message),
      ['services.web.ports must be a list, not a string.', 'services.web.build must be a string or a mapping (key: value), not a number.'],
    );
  });

  it('reports unknown keys inside long syntax, under a oneOf', () => {
    const fs = schema(yaml('services:', '  web:', '    build:', '      contxt: .'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /Did you mean "context"\?/);
    assert.equal(at(fs[0]), '4:7-4:13');
  });

  it('rejects service names compose rejects', () => {
    const fs = schema(yaml('services:', '  my web:', '    image: app:1'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /"my web" is not a valid name/);
  });

  it('lets variables stand where numbers and booleans are expected', () => {
    const fs = schema(
      yaml(
        'services:',
        '  web:',
        '    image: ${IMAGE:-app:1}',
        '    privileged: ${PRIVILEGED:-false}',
        '    ports:',
        '      - "${PORT:-8080}:80"',
        '      - target: ${TARGET:-80}',
        '        published: ${PUBLISHED}',
        '    healthcheck:',
        '      test: ["CMD", "true"]',
        '      retries: ${RETRIES:-3}',
        '    scale: ${SCALE}',
      ),
    );
    assert.deepEqual(fs, []);
  });

  it('resolves anchors and merge keys before validating', () => {
    const fs = schema(
      yaml(
        'x-defaults: &defaults',
        '  restart: unless-stopped',
        '  logging:',
        '    driver: json-file',
        'services:',
        '  web:',
        '    <<: *defaults',
        '    image: app:1',
        '  worker:',
        '    <<: [*defaults]',
        '    image: app:1',
        '    command: ["work"]',
      ),
    );
    assert.deepEqual(fs, []);
  });

  it('finds a mistake brought in through a merge key, in the anchor', () => {
    const fs = schema(yaml('x-defaults: &defaults', '  restrat: always', 'services:', '  web:', '    <<: *defaults', '    image: app:1'));
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /Unknown key "restrat" in services\.web\. Did you mean "restart"\?/);
    assert.equal(at(fs[0]), '2:3-2:10');
  });

  it('accepts a complete, valid file', () => {
    const fs = schema(
      yaml(
        'name: shop',
        'services:',
        '  api:',
        '    build:',
        '      context: ./api',
        '      target: runtime',
        '    ports: ["127.0.0.1:8080:80", {target: 9000, published: "9000", protocol: udp}]',
        '    volumes:',
        '      - type: bind',
        '        source: ./conf',
        '        target: /conf',
        '        read_only: true',
        '    depends_on: {db: {condition: service_healthy, restart: true}}',
        '    deploy: {resources: {limits: {cpus: "0.5", memory: 256M}}}',
        '    secrets: [db_password]',
        '    profiles: [web]',
        '  db:',
        '    image: postgres:16',
        '    healthcheck: {test: ["CMD", "pg_isready"], interval: 10s, retries: 5}',
        'secrets:',
        '  db_password:',
        '    file: ./db_password.txt',
        'x-notes: anything goes here',
      ),
    );
    assert.deepEqual(fs, []);
  });

  it('guesses only close words', () => {
    assert.equal(closest('enviroment', ['environment', 'entrypoint']), 'environment');
    assert.equal(closest('helthcheck', ['healthcheck', 'hostname']), 'healthcheck');
    assert.equal(closest('banana', ['environment', 'image']), undefined);
  });
});
