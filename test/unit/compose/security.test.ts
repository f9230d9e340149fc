import * as assert from 'node:assert/strict';
import { at, lintCompose, only, yaml } from './helpers';

const svc = (...lines: string[]) => yaml('services:', '  web:', '    image: app:1', ...lines.map((l) => '    ' + l));
const run = (code: string, ...lines: string[]) => only(lintCompose(svc(...lines)), code);

describe('compose: security rules', () => {
  describe('no-root-user', () => {
    it('fires on root, 0 and 0:0, at the value', () => {
      for (const u of ['root', '"0"', '0:0', 'root:root']) {
        const fs = run('no-root-user', `user: ${u}`);
        assert.equal(fs.length, 1, u);
        assert.equal(fs[0].range.start.line, 3);
        assert.equal(fs[0].range.start.character, 10);
      }
    });
    it('stays silent for other users and unknown variables', () => {
      for (const u of ['node', '"1000:1000"', '${APP_UID}:${APP_GID}', 'rooter']) assert.deepEqual(run('no-root-user', `user: ${u}`), [], u);
      assert.equal(run('no-root-user', 'user: ${RUN_AS:-root}').length, 1);
    });
  });

  describe('no-privileged', () => {
    it('fires on privileged: true as an error', () => {
      const fs = run('no-privileged', 'privileged: true');
      assert.deepEqual(fs.map(at), ['4:17-4:21']);
      assert.equal(fs[0].severity, 'error');
    });
    it('stays silent on false', () => assert.deepEqual(run('no-privileged', 'privileged: false'), []));
  });

  describe('no-docker-socket', () => {
    it('fires on short and long syntax, even read-only', () => {
      assert.deepEqual(run('no-docker-socket', 'volumes:', '  - /var/run/docker.sock:/var/run/docker.sock:ro').map(at), ['5:9-5:53']);
      assert.equal(run('no-docker-socket', 'volumes:', '  - type: bind', '    source: /run/docker.sock', '    target: /sock').length, 1);
      assert.equal(run('no-docker-socket', 'volumes:', '  - ${SOCK:-/var/run/docker.sock}:/var/run/docker.sock').length, 1);
    });
    it('stays silent on other mounts', () => {
      assert.deepEqual(run('no-docker-socket', 'volumes:', '  - ./docker.sock.md:/docs/x.md'), []);
    });
  });

  describe('no-dangerous-capabilities', () => {
    it('is an error for capabilities that reach the host, a warning for the risky ones', () => {
      const fs = run('no-dangerous-capabilities', 'cap_add: [SYS_ADMIN, CAP_NET_ADMIN, NET_BIND_SERVICE, ALL]');
      assert.deepEqual(fs.map((f) => [at(f), f.severity]), [
        ['4:15-4:24', 'error'],
        ['4:26-4:39', 'warning'],
        ['4:59-4:62', 'error'],
      ]);
    });
  });

  describe('no-host-namespace', () => {
    it('fires on network_mode, pid and ipc host', () => {
      const fs = run('no-host-namespace', 'network_mode: host', 'pid: "host"', 'ipc: host');
      assert.deepEqual(fs.map((f) => f.range.start.line), [3, 4, 5]);
    });
    it('stays silent on other modes', () => {
      assert.deepEqual(run('no-host-namespace', 'network_mode: bridge', 'ipc: shareable', 'pid: service:db'), []);
    });
  });

  describe('no-unconfined-security-opt', () => {
    it('fires on seccomp and apparmor unconfined, both separators', () => {
      const fs = run('no-unconfined-security-opt', 'security_opt:', '  - seccomp:unconfined', '  - apparmor=unconfined', '  - no-new-privileges:true');
      assert.deepEqual(fs.map(at), ['5:9-5:27', '6:9-6:28']);
    });
  });

  describe('no-sensitive-mount', () => {
    it('is an error for a writable mount of the host root, a warning when read-only', () => {
      const fs = run('no-sensitive-mount', 'volumes:', '  - /:/host', '  - /proc:/host/proc:ro', '  - ~/.ssh:/root/.ssh');
      assert.deepEqual(fs.map((f) => [at(f), f.severity]), [
        ['5:9-5:16', 'error'],
        ['6:9-6:28', 'warning'],
        ['7:9-7:26', 'error'],
      ]);
    });
    it('stays silent on ordinary files and project folders', () => {
      assert.deepEqual(run('no-sensitive-mount', 'volumes:', '  - /etc/localtime:/etc/localtime:ro', '  - ./data:/data', '  - logs:/var/log'), []);
    });
  });

  describe('no-public-admin-port', () => {
    it('fires on database ports published on every interface, short and long syntax', () => {
      const fs = run('no-public-admin-port', 'ports:', '  - "5433:5432"', '  - target: 6379', '    published: "6379"', '  - "0.0.0.0:27017:27017"');
      assert.deepEqual(fs.map((f) => f.range.start.line), [4, 5, 7]);
      assert.match(fs[0].message, /PostgreSQL .*127\.0\.0\.1:5433:5432/);
    });
    it('is an error for the Docker API', () => {
      assert.equal(run('no-public-admin-port', 'ports: ["2375:2375"]')[0].severity, 'error');
    });
    it('stays silent on localhost binds and web ports', () => {
      assert.deepEqual(run('no-public-admin-port', 'ports:', '  - "127.0.0.1:5432:5432"', '  - target: 3306', '    host_ip: 127.0.0.1', '  - 80:80', '  - "443:443"'), []);
      assert.deepEqual(run('no-public-admin-port', 'ports: ["${PG_BIND}:5432:5432"]').length, 0);
    });
  });

  describe('no-plaintext-secret', () => {
    it('fires on secret-looking names with written values, map and list syntax', () => {
      const map = run('no-plaintext-secret', 'environment:', '  POSTGRES_PASSWORD: hunter2', '  API_TOKEN: "abc123"');
      assert.deepEqual(map.map(at), ['5:26-5:33', '6:18-6:26']);
      const list = run('no-plaintext-secret', 'environment:', '  - SECRET_KEY_BASE=abcdef');
      assert.deepEqual(list.map(at), ['5:9-5:31']);
    });
    it('fires on a URL with a password in it, whatever the name', () => {
      const fs = run('no-plaintext-secret', 'environment:', '  DATABASE_URL: postgres://app:s3cret@db:5432/app', '  CACHE_URL: redis://cache:6379/0', '  DB_URL: postgres://app:${DB_PASSWORD}@db/app');
      assert.deepEqual(fs.map((f) => f.range.start.line), [4]);
    });

    it('stays silent on variables, files, flags and non-secrets', () => {
      assert.deepEqual(
        run(
          'no-plaintext-secret',
          'environment:',
          '  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}',
          '  POSTGRES_PASSWORD_FILE: /run/secrets/db',
          '  MYSQL_ALLOW_EMPTY_PASSWORD: "yes"',
          '  PASSWORD_MIN_LENGTH: 12',
          '  LOG_LEVEL: debug',
          '  API_KEY:',
        ),
        [],
      );
    });
  });
});
