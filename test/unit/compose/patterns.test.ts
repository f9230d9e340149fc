import * as assert from 'node:assert/strict';
import { lintCompose, only, yaml } from './helpers';

/** Findings that were wrong on real files, each kept from coming back. */
describe('compose: wrong-finding patterns from real files', () => {
  it('no-latest-tag: build + image + pull_policy never (or build) names a local image', () => {
    const local = yaml('services:', '  app:', '    build: .', '    image: myapp:latest', '    pull_policy: never');
    assert.deepEqual(only(lintCompose(local), 'no-latest-tag'), []);
    assert.deepEqual(only(lintCompose(local.replace('never', 'build')), 'no-latest-tag'), []);
    // Without the policy, compose may still pull it, and without build it is pulled.
    assert.equal(only(lintCompose(local.replace('    pull_policy: never\n', '')), 'no-latest-tag').length, 1);
    assert.equal(only(lintCompose(local.replace('    build: .\n', '')), 'no-latest-tag').length, 1);
  });

  it('no-plaintext-secret: a /run/secrets/... value is the path of the secret, not the secret', () => {
    const fs = lintCompose(yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: /run/secrets/db_password', '      APP_SECRET: /var/run/secrets/app/key'));
    assert.deepEqual(only(fs, 'no-plaintext-secret'), []);
    assert.equal(only(lintCompose(yaml('services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: hunter2')), 'no-plaintext-secret').length, 1);
  });

  it('depends-on-healthy: an explicit condition: service_started is a choice', () => {
    const base = ['services:', '  web:', '    image: app:1.0', '    depends_on:', '      db:', '        condition: service_started', '  db:', '    image: postgres:16', '    healthcheck:', '      test: ["CMD", "pg_isready"]'];
    assert.deepEqual(only(lintCompose(yaml(...base)), 'depends-on-healthy'), []);
    const implicit = yaml('services:', '  web:', '    image: app:1.0', '    depends_on: [db]', '  db:', '    image: postgres:16', '    healthcheck:', '      test: ["CMD", "pg_isready"]');
    assert.equal(only(lintCompose(implicit), 'depends-on-healthy').length, 1);
  });

  it('no-public-admin-port: a host port given by a variable is still published on every interface', () => {
    const fs = only(lintCompose(yaml('services:', '  db:', '    image: postgres:16', '    ports:', '      - "${DB_PORT}:5432"', '      - target: 6379', '        published: ${REDIS_PORT}')), 'no-public-admin-port');
    assert.equal(fs.length, 2);
    assert.match(fs[0].message, /127\.0\.0\.1:\$\{DB_PORT\}:5432/);
    // A variable in the address could be 127.0.0.1: not reported.
    assert.deepEqual(only(lintCompose(yaml('services:', '  db:', '    image: postgres:16', '    ports: ["${BIND}:5432:5432"]')), 'no-public-admin-port'), []);
  });

  it('no-docker-socket: ${VAR}:/var/run/docker.sock is still the Docker socket', () => {
    for (const v of ['${DOCKER_SOCK}:/var/run/docker.sock', '${DOCKER_SOCK}:/var/run/docker.sock:ro', '${XDG_RUNTIME_DIR}/docker.sock:/var/run/docker.sock']) {
      const fs = only(lintCompose(yaml('services:', '  agent:', '    image: agent:1', '    volumes:', `      - "${v}"`)), 'no-docker-socket');
      assert.equal(fs.length, 1, v);
    }
    assert.deepEqual(only(lintCompose(yaml('services:', '  app:', '    image: app:1', '    volumes: ["${DATA}:/data"]')), 'no-docker-socket'), []);
  });
});

describe('compose: more wrong-finding patterns from the corpus', () => {
  it('no-plaintext-secret: policy names, auth methods and realms, and <placeholders> are not secrets', () => {
    const fs = lintCompose(
      yaml('services:', '  a:', '    image: a:1', '    environment:', '      FLEET_TOKEN_POLICY_NAME: Agent Policy APM Server', '      REGISTRY_AUTH: htpasswd', '      REGISTRY_AUTH_HTPASSWD_REALM: Registry Realm', '      KAFKA_SSL_CLIENT_AUTH: requested', '      EXPORTER_API_KEY: "<your-API-Key>"'),
    );
    assert.deepEqual(only(fs, 'no-plaintext-secret'), []);
  });

  it('require-healthcheck and require-restart-policy: a job others wait to complete runs once', () => {
    const fs = lintCompose(yaml('services:', '  migrate:', '    image: app:1', '    command: migrate', '  app:', '    image: app:1', '    restart: always', '    healthcheck: {test: ["CMD", "true"]}', '    depends_on:', '      migrate: {condition: service_completed_successfully}'));
    assert.deepEqual(only(fs, 'require-healthcheck'), []);
    assert.deepEqual(only(fs, 'require-restart-policy'), []);
  });
});

describe('compose: fragments and overlays', () => {
  it('no-undeclared-reference: names declared by the base file an overlay is used with, or by a file including a fragment', () => {
    const base = yaml('services:', '  web:', '    image: web:1', 'networks:', '  meet: {}', 'volumes:', '  data: {}');
    const overlay = yaml('services:', '  pad:', '    image: pad:1', '    networks: [meet]', '    volumes: [data:/d]', '    depends_on: [web]');
    assert.deepEqual(only(lintCompose(overlay, { file: 'etherpad.yml', files: { 'docker-compose.yml': base } }), 'no-undeclared-reference'), []);
    const parent = yaml('include: [adminer/compose.yml]', 'networks:', '  backend: {}');
    const fragment = yaml('services:', '  adminer:', '    image: adminer:4', '    networks: [backend]');
    assert.deepEqual(only(lintCompose(fragment, { file: 'adminer/compose.yml', files: { 'docker-compose.yml': parent } }), 'no-undeclared-reference'), []);
    // A standalone file still gets its typo reported.
    assert.equal(only(lintCompose(yaml('services:', '  a:', '    image: a:1', '    networks: [bakend]', 'networks:', '  backend: {}')), 'no-undeclared-reference').length, 1);
  });

  it('compose-consistency: a devcontainer compose file without image is an overlay', () => {
    assert.deepEqual(only(lintCompose(yaml('services:', '  app:', '    volumes: [..:/workspace]'), { file: '.devcontainer/docker-compose.yml' }), 'compose-consistency'), []);
  });
});
