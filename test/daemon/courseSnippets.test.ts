/**
 * The course's files on a real daemon: every whole Dockerfile of the lessons builds in the sample's folder and its
 * image runs the app; both compose files of the lessons run (the fixed one healthy, with the app on MySQL); and the
 * stand-ins the tests use for the course's images behave as the course expects of the real ones. The daemon runs in
 * its own network namespace, so published ports and user-defined networks work as on a learner's machine.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fencedBlocks, LessonSnippet, lessonSnippets, REPO, where } from '../support/lessonSnippets';
import { loadStandIns } from '../support/standIns';
import { startTestDaemon, TestDaemon } from '../support/testDaemon';

/** The learner's CLI (28.x here; its builds use the classic builder) and Debian's 20.10 client, for BuildKit builds. */
const DOCKER = process.env.DOCKWISE_DOCKER_CLI ?? 'docker';
const DOCKER_BUILDKIT_CLI = '/usr/bin/docker';
const COMPOSE = 'docker-compose';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('The course on a real daemon: lesson snippets, the sample and the stand-ins', function () {
  this.timeout(15 * 60_000);
  let d: TestDaemon;
  let work: string;
  const snippets = lessonSnippets();

  const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        cmd,
        args,
        { cwd: opts.cwd, env: { ...process.env, DOCKER_HOST: d.host, ...opts.env }, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
  const docker = (...args: string[]) => run(DOCKER, args);
  const ok = async (r: Promise<Run>, what: string): Promise<string> => {
    const res = await r;
    assert.equal(res.code, 0, `${what} failed:\n${res.stdout.slice(-2000)}\n${res.stderr.slice(-2000)}`);
    return res.stdout;
  };

  /** A copy of the sample as the course leaves it: the lesson's .dockerignore, `dockerfile` as its Dockerfile. */
  function sampleCopy(name: string, dockerfile?: string): string {
    const dir = path.join(work, name);
    fs.cpSync(path.join(REPO, 'samples', 'todo-app'), dir, { recursive: true });
    const ignore = fencedBlocks(fs.readFileSync(path.join(REPO, 'media', 'todoApp', 'copyAdd.md'), 'utf8')).find((b) => b.info === 'text');
    fs.writeFileSync(path.join(dir, '.dockerignore'), ignore!.text);
    if (dockerfile !== undefined) fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    return dir;
  }

  async function inspect(container: string): Promise<{ State: { Status: string; ExitCode: number; Health?: { Status: string } }; Config: { User: string } }> {
    return JSON.parse(await ok(docker('inspect', container), `inspect ${container}`))[0];
  }

  /** The app's /health, asked from inside its container with the sample's own probe. */
  async function health(container: string): Promise<{ code: number; body: any }> {
    const r = await docker('exec', container, 'node', 'src/healthcheck.js');
    let body: unknown;
    try {
      body = JSON.parse(r.stdout);
    } catch {
      body = r.stdout + r.stderr;
    }
    return { code: r.code, body };
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(500);
    }
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-course-'));
    d = await startTestDaemon({ network: true, storageDriver: 'overlay2', seed: false });
    await loadStandIns(d.docker);
  });

  after(async () => {
    await d?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  describe('every whole Dockerfile of the lessons', () => {
    const dockerfiles = () => snippets.filter((s) => s.kind === 'dockerfile' && !s.fragment);

    it('builds with BuildKit in the sample\'s folder, and its image serves the app with SQLite at /etc/todos/todo.db', async () => {
      assert.ok(dockerfiles().length >= 3);
      for (const [i, s] of dockerfiles().entries()) {
        const dir = sampleCopy(`build-${i}`, s.text);
        const tag = `lesson-snippet:${i}`;
        await ok(run(DOCKER_BUILDKIT_CLI, ['build', '-q', '-t', tag, '.'], { cwd: dir, env: { DOCKER_BUILDKIT: '1' } }), `building ${where(s)}`);
        const name = `lesson-snippet-${i}`;
        await ok(docker('run', '-d', '--name', name, tag), `running ${where(s)}`);
        const report = await waitFor(`the app of ${where(s)} to answer`, async () => {
          const h = await health(name);
          return h.code === 0 ? h.body : undefined;
        });
        assert.equal(report.app, 'todo-app', where(s));
        assert.deepEqual(report.db, { type: 'sqlite', ok: true, file: '/etc/todos/todo.db' }, where(s));
        const state = await inspect(name);
        if (!s.mistakes.length) {
          assert.equal(state.Config.User, 'node', `${where(s)} runs as node`);
          await waitFor(`${where(s)}'s HEALTHCHECK to pass`, async () => ((await inspect(name)).State.Health?.Status === 'healthy' ? true : undefined));
          const started = Date.now();
          await ok(docker('stop', name), 'docker stop');
          assert.ok(Date.now() - started < 5000, `${where(s)}: the app stops on SIGTERM instead of being killed after 10 s`);
          assert.equal((await inspect(name)).State.ExitCode, 0);
        }
        await docker('rm', '-f', name);
      }
    });

    it('the fixed Dockerfile\'s image, run as the lesson says, answers on the published port 3000', async () => {
      const fixed = dockerfiles().findIndex((s) => s.file === 'media/todoApp/dockerfile.md' && !s.mistakes.length);
      await ok(docker('tag', `lesson-snippet:${fixed}`, 'todo-app:1.0'), 'tag');
      await ok(docker('run', '-d', '--name', 'todo-app', '-p', '3000:3000', 'todo-app:1.0'), 'docker run -p 3000:3000');
      try {
        const url = `http://${d.network!.publishedAddress}:3000`;
        const added = await waitFor('the published port to answer', async () => {
          const res = await fetch(`${url}/api/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"From the host"}', signal: AbortSignal.timeout(5000) });
          return res.status === 201 ? ((await res.json()) as { name: string }) : undefined;
        });
        assert.equal(added.name, 'From the host');
        const page = await (await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) })).text();
        assert.match(page, /<title>Todo app<\/title>/);
      } finally {
        await docker('rm', '-f', 'todo-app');
      }
    });

    it('the fixed image, when its user cannot create the database folder, exits with the fix in its log', async () => {
      const fixed = dockerfiles().findIndex((s) => s.file === 'media/todoApp/dockerfile.md' && !s.mistakes.length);
      // /etc/elsewhere is what /etc/todos is in a Dockerfile without the RUN mkdir line: a folder node may not create.
      await ok(docker('run', '-d', '--name', 'no-folder', '-e', 'SQLITE_DB_LOCATION=/etc/elsewhere/todo.db', `lesson-snippet:${fixed}`), 'run');
      const state = await waitFor('the app to exit', async () => {
        const st = await inspect('no-folder');
        return st.State.Status === 'exited' ? st.State : undefined;
      });
      assert.equal(state.ExitCode, 1);
      const logs = await docker('logs', 'no-folder');
      assert.match(logs.stdout + logs.stderr, /EACCES/);
      assert.match(logs.stdout + logs.stderr, /The app runs as user node, who cannot write to \/etc\/elsewhere: .*\(RUN mkdir -p \/etc\/elsewhere && chown node \/etc\/elsewhere, before USER\)/);
      await docker('rm', '-f', 'no-folder');
    });
  });

  describe('the compose files of the lessons', () => {
    const composes = () => snippets.filter((s) => s.kind === 'compose');

    it('are accepted by compose as they are', async () => {
      for (const [i, s] of composes().entries()) {
        const dir = sampleCopy(`config-${i}`);
        fs.writeFileSync(path.join(dir, 'compose.yaml'), s.text);
        await ok(run(COMPOSE, ['-f', 'compose.yaml', 'config', '-q'], { cwd: dir }), `compose config of ${where(s)}`);
      }
    });

    async function up(s: LessonSnippet, dir: string, project: string): Promise<void> {
      fs.writeFileSync(path.join(dir, 'compose.yaml'), s.text);
      await ok(run(COMPOSE, ['-p', project, 'up', '-d', '--build'], { cwd: dir, timeoutMs: 600_000 }), `compose up of ${where(s)}`);
    }
    const serviceContainer = async (project: string, service: string) =>
      (await ok(docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`, '--filter', `label=com.docker.compose.service=${service}`), 'ps')).trim();

    it('the sample\'s first compose file runs: the app waits for MySQL and then stores its items there', async () => {
      const s = composes().find((x) => x.mistakes.length)!;
      const dir = sampleCopy('compose-first');
      const project = 'first';
      try {
        await up(s, dir, project);
        const app = await serviceContainer(project, 'app');
        const report = await waitFor('the app to reach MySQL', async () => {
          const h = await health(app);
          return h.code === 0 ? h.body : undefined;
        }, 180_000);
        assert.deepEqual([report.db.type, report.db.host, report.db.ok], ['mysql', 'mysql', true]);
      } finally {
        await run(COMPOSE, ['-p', project, 'down', '-v', '--timeout', '3'], { cwd: dir });
      }
    });

    it('the fixed compose file runs app and mysql healthy, the app on MySQL with the secret, bind-mounted for development', async () => {
      const s = composes().find((x) => !x.mistakes.length)!;
      const fixed = snippets.filter((x) => x.file === 'media/todoApp/dockerfile.md' && x.kind === 'dockerfile' && !x.mistakes.length)[0];
      const dir = sampleCopy('compose-fixed', fixed.text);
      const project = 'fixed';
      try {
        await up(s, dir, project);
        const [app, mysql] = [await serviceContainer(project, 'app'), await serviceContainer(project, 'mysql')];
        for (const c of [mysql, app]) {
          await waitFor(`${c} healthy`, async () => ((await inspect(c)).State.Health?.Status === 'healthy' ? true : undefined), 180_000);
        }
        const report = (await health(app)).body;
        assert.deepEqual([report.db.type, report.db.host, report.db.database, report.db.ok], ['mysql', 'mysql', 'todos', true]);
        const mysqlHostname = JSON.parse(await ok(docker('inspect', mysql), 'inspect'))[0].Config.Hostname;
        assert.equal(report.db.serverHostname, mysqlHostname, 'the app reached the compose mysql service');
        // The password came from the secret file, not from the environment.
        const env: string[] = JSON.parse(await ok(docker('inspect', app), 'inspect'))[0].Config.Env;
        assert.ok(env.includes('MYSQL_PASSWORD_FILE=/run/secrets/db_password') && !env.some((e) => e.startsWith('MYSQL_PASSWORD=')));
        // The source folder is bind-mounted: an edit on the host is what the container sees.
        fs.appendFileSync(path.join(dir, 'src', 'static', 'style.css'), '/* edited on the host */\n');
        assert.match(await ok(docker('exec', app, 'cat', '/app/src/static/style.css'), 'cat'), /edited on the host/);
      } finally {
        await run(COMPOSE, ['-p', project, 'down', '-v', '--timeout', '3'], { cwd: dir });
      }
    });
  });

  describe('the stand-ins for the course\'s images', () => {
    it('node: Node 22 with npm, the node user (uid 1000), no curl or wget, and node as what an option runs', async () => {
      const script = 'node -e "process.stdout.write(process.version)"; echo; npm --version; id -u node; command -v curl || command -v wget || wget -q -O- http://127.0.0.1/ || echo "no $?"';
      const [nodeVersion, npmVersion, uid, noCurl] = (await ok(docker('run', '--rm', 'node:22-bookworm-slim', 'sh', '-c', script), 'node')).trim().split('\n');
      assert.match(nodeVersion, /^v22\./);
      assert.match(npmVersion, /^10\./);
      assert.equal(uid, '1000');
      assert.equal(noCurl, 'no 127', 'like the real slim image, no curl or wget, even from its shell: a probe that needs them fails here too');
      assert.match(await ok(docker('run', '--rm', 'node:22-bookworm-slim', '--version'), 'entrypoint'), /^v22\./);
    });

    it('mysql: refuses to start without a password choice, as the official image does', async () => {
      const r = await docker('run', '--name', 'mysql-nopw', 'mysql:8.4');
      assert.notEqual(r.code, 0);
      assert.match((await docker('logs', 'mysql-nopw')).stderr, /Database is uninitialized and password option is not specified/);
      await docker('rm', '-f', 'mysql-nopw');
    });

    it('mysql: MYSQL_RANDOM_ROOT_PASSWORD, a user with a password from a _FILE, its database, mysqladmin ping, data kept on its volume', async () => {
      const secrets = path.join(work, 'secrets');
      fs.mkdirSync(secrets, { recursive: true });
      fs.writeFileSync(path.join(secrets, 'pw'), "it's a secret\n");
      await ok(docker('network', 'create', 'standin-net'), 'network');
      const start = () =>
        ok(
          docker('run', '-d', '--name', 'mysql-t', '--network', 'standin-net', '-v', 'standin-data:/var/lib/mysql', '-v', `${secrets}:/run/secrets:ro`,
            '-e', 'MYSQL_RANDOM_ROOT_PASSWORD=yes', '-e', 'MYSQL_DATABASE=todos', '-e', 'MYSQL_USER=todo', '-e', 'MYSQL_PASSWORD_FILE=/run/secrets/pw', 'mysql:8.4'),
          'mysql',
        );
      try {
        await start();
        await waitFor('mysqladmin ping', async () => ((await docker('exec', 'mysql-t', 'mysqladmin', 'ping', '-h', '127.0.0.1')).code === 0 ? true : undefined));
        const logs = await docker('logs', 'mysql-t');
        const root = /GENERATED ROOT PASSWORD: (\S+)/.exec(logs.stdout + logs.stderr)?.[1];
        assert.ok(root, 'the generated root password is in the log');
        // Over TCP, by the container's name on the network, as the app connects.
        const sql = (user: string, pw: string, q: string) => docker('exec', 'mysql-t', 'mysql', '-h', 'mysql-t', `-u${user}`, `-p${pw}`, '-N', '-e', q);
        await waitFor('the user to log in over the network', async () => ((await sql('todo', "it's a secret", 'SELECT 1')).code === 0 ? true : undefined));
        await ok(sql('todo', "it's a secret", 'CREATE TABLE todos.t (x INT); INSERT INTO todos.t VALUES (42)'), 'the user may use its database');
        assert.notEqual((await sql('todo', "it's a secret", 'CREATE DATABASE other')).code, 0, 'and only that one');
        assert.equal((await ok(sql('root', root, 'SELECT COUNT(*) FROM todos.t'), 'root logs in')).trim(), '1');
        await ok(docker('rm', '-f', 'mysql-t'), 'rm');
        await start();
        await waitFor('the data to be back', async () => ((await sql('todo', "it's a secret", 'SELECT x FROM todos.t')).stdout.trim() === '42' ? true : undefined));
        assert.doesNotMatch((await docker('logs', 'mysql-t')).stdout, /Initializing database files/, 'a second start keeps the data');
      } finally {
        await docker('rm', '-f', 'mysql-t');
        await docker('volume', 'rm', 'standin-data');
        await docker('network', 'rm', 'standin-net');
      }
    });

    it('alpine: touch, stat, and ping by name on a user-defined network (the default bridge has no names)', async () => {
      const missing = await docker('run', '--rm', 'alpine:3.21', 'sh', '-c', 'touch /tmp/f && stat /tmp/f >/dev/null && stat greeting.txt');
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /can't stat 'greeting.txt': No such file or directory/);
      await ok(docker('network', 'create', 'ping-net'), 'network');
      try {
        await ok(docker('run', '-d', '--name', 'pinged', '--network', 'ping-net', 'alpine:3.21', 'sleep', '60'), 'target');
        assert.match(await ok(docker('run', '--rm', '--network', 'ping-net', 'alpine:3.21', 'ping', '-c', '1', 'pinged'), 'ping'), /1 packets received/);
        await ok(docker('run', '-d', '--name', 'on-default', 'alpine:3.21', 'sleep', '60'), 'default bridge');
        assert.notEqual((await docker('run', '--rm', 'alpine:3.21', 'ping', '-c', '1', '-W', '2', 'on-default')).code, 0, 'no names on the default bridge');
      } finally {
        await docker('rm', '-f', 'pinged', 'on-default');
        await docker('network', 'rm', 'ping-net');
      }
    });

    it('registry:2: the daemon pushes to localhost:5000 and pulls back', async () => {
      await ok(docker('run', '-d', '--name', 'registry', '-p', '5000:5000', 'registry:2'), 'registry');
      try {
        await ok(docker('tag', 'alpine:3.21', 'localhost:5000/pushed:1.0'), 'tag');
        await waitFor('the push', async () => ((await docker('push', 'localhost:5000/pushed:1.0')).code === 0 ? true : undefined), 60_000);
        await ok(docker('image', 'rm', 'localhost:5000/pushed:1.0'), 'rm');
        await ok(docker('pull', 'localhost:5000/pushed:1.0'), 'pull');
        const digests: string[] = JSON.parse(await ok(docker('image', 'inspect', '-f', '{{json .RepoDigests}}', 'localhost:5000/pushed:1.0'), 'inspect'));
        assert.ok(digests.some((r) => r.startsWith('localhost:5000/pushed@sha256:')), digests.join());
      } finally {
        await docker('rm', '-f', 'registry');
      }
    });
  });
});
