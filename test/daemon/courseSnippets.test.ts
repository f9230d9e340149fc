/**
 * The course's files on a real daemon: every whole Dockerfile of the lessons builds in the sample's folder and its
 * image runs the app; both compose files of the lessons run (the fixed one healthy, with the app on MySQL); and the
 * stand-ins the tests use for the course's images behave as the course expects of the real ones. The daemon runs in
 * its own network namespace, so published ports and user-defined networks work as on a learner's machine.
 */
import * as assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SNIPPETS } from '../../src/walkthroughs/course';
import { composePluginConfig } from '../support/composePlugin';
import { fencedBlocks, lessonCommands, LessonSnippet, lessonSnippets, REPO, where } from '../support/lessonSnippets';
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
  describe('every command of the lessons and of the Run buttons, typed as written in the sample\'s folder', () => {
    /** Inline code that names a command in prose rather than giving one to type. */
    const MENTIONS = new Set(['docker run', 'docker run -p', 'docker stop', 'docker build', 'docker commit', 'docker history', 'docker tag', 'docker push', 'docker pull', 'docker logs', 'docker compose']);
    /** Commands this daemon cannot run, and why. */
    const NOT_RUN: Record<string, string> = {
      'docker login': 'needs a Docker Hub account',
      'docker tag todo-app:1.0 <you>/todo-app:1.0': 'needs a Docker Hub account',
      'docker push <you>/todo-app:1.0': 'needs a Docker Hub account',
      'docker scout cves todo-app:1.0': 'needs the Docker Scout plugin and Docker\'s service',
      'docker run --cpus 1 --memory 512m …': 'a pattern, not a whole command',
      'node ~/.vscode/extensions/dockwise.dockwise-*/dist/cli.js lint --format sarif . > dockwise.sarif': 'Dockwise\'s CLI inside an installed extension, tested by its own tests',
    };
    /** Stand-ins for the lessons' placeholders. */
    const fill = (c: string) => c.replace('<file>', 'package.json');

    interface Typed {
      code: number;
      out: string;
    }
    let config: string;
    let dir: string;
    const typed: string[] = [];
    const env = () => ({ ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: config });

    /**
     * Types `command` into bash in the learner's folder. With `input`, the command gets a terminal (for -it): a
     * string is typed at once, a dialog line by line, each once the output shows what it waits for (a password
     * prompt drops what was typed ahead).
     */
    function type(command: string, opts: { input?: string | [RegExp, string][]; timeoutMs?: number } = {}): Promise<Typed> {
      typed.push(command);
      if (opts.input === undefined) {
        return new Promise((resolve) => {
          execFile('bash', ['-c', fill(command)], { cwd: dir, env: env(), timeout: opts.timeoutMs ?? 600_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) =>
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr }),
          );
        });
      }
      const dialog = typeof opts.input === 'string' ? [[/^/, opts.input] as [RegExp, string]] : opts.input;
      const child = spawn('script', ['-qec', fill(command), '/dev/null'], { cwd: dir, env: env() });
      let out = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (out += b));
      const exit = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
      return (async () => {
        let seen = 0;
        for (const [waitFor_, line] of dialog) {
          await waitFor(`\`${command}\` to show ${waitFor_}`, async () => (waitFor_.test(out.slice(seen)) ? true : undefined), 30_000);
          seen = out.length;
          child.stdin.write(line);
        }
        child.stdin.end();
        const code = await Promise.race([exit, sleep(opts.timeoutMs ?? 60_000).then(() => -1)]);
        if (code === -1) child.kill('SIGKILL');
        return { code, out };
      })();
    }
    async function typeOk(command: string, opts: { input?: string | [RegExp, string][]; expect?: RegExp } = {}): Promise<string> {
      const r = await type(command, opts);
      assert.equal(r.code, 0, `\`${command}\` failed:\n${r.out.slice(-3000)}`);
      if (opts.expect) assert.match(r.out, opts.expect, `\`${command}\``);
      return r.out;
    }
    /** A command that keeps running (follows logs, streams): it shows `expect` and is still running, then Ctrl-C. */
    async function typeFollowing(command: string, expect: RegExp): Promise<void> {
      typed.push(command);
      const child = spawn('bash', ['-c', command], { cwd: dir, env: env(), detached: true });
      let out = '';
      let exited: number | null = null;
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (out += b));
      child.on('exit', (code) => (exited = code ?? 1));
      try {
        await waitFor(`\`${command}\` to show ${expect}`, async () => (expect.test(out) ? true : undefined), 30_000);
        await sleep(1000);
        assert.equal(exited, null, `\`${command}\` stopped by itself:\n${out.slice(-2000)}`);
      } finally {
        if (exited === null) process.kill(-child.pid!, 'SIGINT');
      }
    }
    const url = () => `http://${d.network!.publishedAddress}:3000`;
    const items = async (): Promise<string[]> => ((await (await fetch(`${url()}/api/items`, { signal: AbortSignal.timeout(5000) })).json()) as { name: string }[]).map((i) => i.name);
    const appAnswers = (what: string) => waitFor(what, async () => ((await fetch(`${url()}/health`, { signal: AbortSignal.timeout(5000) })).ok ? true : undefined), 180_000);
    const lessonDockerfile = (file: string) => snippets.find((s) => s.file === file && s.kind === 'dockerfile' && !s.fragment && !s.mistakes.length)!.text;

    before(async () => {
      config = composePluginConfig();
      dir = sampleCopy('todo-app');
      // A learner's own folder: owned by them, uid 1000 on a typical Linux (the image's node user).
      execFileSync('chown', ['-R', '1000:1000', dir]);
      // hello-world cannot be pulled here: a stand-in that says what the real one says first.
      const hello = path.join(work, 'hello-world');
      fs.mkdirSync(hello);
      fs.writeFileSync(path.join(hello, 'Dockerfile'), 'FROM alpine:3.21\nCMD ["echo", "Hello from Docker!"]\n');
      await ok(run(DOCKER, ['build', '-q', '-t', 'hello-world', hello]), 'hello-world stand-in');
    });
    after(() => {
      if (config) fs.rmSync(config, { recursive: true, force: true });
    });

    it('runs the whole story, each command with the outcome the lesson promises', async () => {
      // vmKiller: the client talks to the daemon.
      await typeOk('docker version', { expect: /Server:/ });
      await typeOk('docker compose version');
      await typeOk('docker info', { expect: /Storage Driver/ });
      await typeOk('docker run hello-world', { expect: /Hello from Docker!/ });

      // cmdEntrypoint: the lesson's two lines in place of the Dockerfile's CMD.
      const fragment = snippets.find((s) => s.file === 'media/todoApp/cmdEntrypoint.md' && s.fragment)!.text;
      const fixed = lessonDockerfile('media/todoApp/dockerfile.md');
      fs.writeFileSync(path.join(dir, 'Dockerfile'), fixed.replace(/^CMD .*\n/m, fragment));
      await typeOk('docker build -t todo-app:1.0 .');
      await typeOk('docker run todo-app:1.0 --version', { expect: /^v22\./m });
      await typeFollowing('docker run todo-app:1.0', /The todo app listens on port 3000/);

      // multiStage: stop at the deps stage.
      fs.writeFileSync(path.join(dir, 'Dockerfile'), lessonDockerfile('media/todoApp/multiStage.md'));
      await typeOk('docker build --target deps .');

      // buildRun, with the fixed Dockerfile of the Dockerfile step.
      fs.writeFileSync(path.join(dir, 'Dockerfile'), fixed);
      await typeOk('docker build -t todo-app:1.0 .');
      await typeOk('docker build --no-cache -t todo-app:1.0 .');
      await typeOk('docker images', { expect: /todo-app\s+1\.0/ });
      await typeOk('docker history todo-app:1.0', { expect: /npm ci/ });
      await typeOk('docker run -d --name todo-app -p 3000:3000 todo-app:1.0');
      await appAnswers('the app on the published port');
      await typeOk('docker ps', { expect: /todo-app/ });
      await typeOk('docker logs todo-app', { expect: /listens on port 3000/ });

      // registry: a learner types the push a few seconds after starting the registry.
      await typeOk('docker run -d --name registry -p 5000:5000 registry:2');
      await typeOk('docker tag todo-app:1.0 localhost:5000/todo-app:1.0');
      await waitFor('the push', async () => ((await type('docker push localhost:5000/todo-app:1.0')).code === 0 ? true : undefined), 60_000);
      await typeOk('docker image rm localhost:5000/todo-app:1.0');
      await typeOk('docker pull localhost:5000/todo-app:1.0');

      // ephemeral: the second container does not see the first one's file.
      await typeOk('docker run --rm --name con_1 alpine:3.21 touch greeting.txt');
      const con2 = await type('docker run --rm --name con_2 alpine:3.21 stat greeting.txt');
      assert.notEqual(con2.code, 0);
      assert.match(con2.out, /No such file or directory/);

      // persistData: an item survives the container, on the todo-db volume.
      await typeOk('docker volume create todo-db');
      await typeOk('docker rm -f todo-app');
      await typeOk('docker run -d --name todo-app -p 3000:3000 -v todo-db:/etc/todos todo-app:1.0');
      await appAnswers('the app on the volume');
      const posted = await fetch(`${url()}/api/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Buy milk"}', signal: AbortSignal.timeout(5000) });
      assert.equal(posted.status, 201);
      await typeOk('docker rm -f todo-app');
      await typeOk('docker run -d --name todo-app -p 3000:3000 -v todo-db:/etc/todos todo-app:1.0');
      await appAnswers('the replaced app');
      assert.deepEqual(await items(), ['Buy milk']);
      await typeOk('docker volume inspect todo-db', { expect: /"Mountpoint"/ });

      // bindMount: a file made inside the container is in the learner's folder.
      await typeOk('docker run -d --name todo-dev -v "$(pwd):/src" todo-app:1.0');
      await typeOk('docker exec todo-dev touch /src/myfile.txt');
      assert.ok(fs.existsSync(path.join(dir, 'myfile.txt')));
      await typeOk('docker exec -it todo-dev sh', { input: 'ls /src\nexit\n', expect: /myfile\.txt/ });
      await typeOk('docker exec todo-dev cat /src/<file>', { expect: /"name": "todo-app"/ });
      await typeOk('docker exec -u "$(id -u)" todo-dev touch /src/myfile.txt');

      // connectApp: MySQL by its name on a user-defined network.
      await typeOk('docker rm -f todo-app todo-dev');
      await typeOk('docker network create todo-net');
      await typeOk('docker run -d --name mysql --network todo-net -v todo-mysql-data:/var/lib/mysql -e MYSQL_ROOT_PASSWORD=secret -e MYSQL_DATABASE=todos mysql:8.4');
      await typeOk('docker run --rm --network todo-net alpine:3.21 ping -c 3 mysql', { expect: /3 packets received/ });
      await typeOk('docker run -d --name todo-app --network todo-net -p 3000:3000 -e MYSQL_HOST=mysql -e MYSQL_USER=root -e MYSQL_PASSWORD=secret -e MYSQL_DB=todos todo-app:1.0');
      await appAnswers('the app on MySQL');
      const report = (await (await fetch(`${url()}/health`)).json()) as { db: { type: string; host: string } };
      assert.deepEqual([report.db.type, report.db.host], ['mysql', 'mysql']);
      await typeOk('docker logs todo-app', { expect: /listens on port 3000/ });
      await typeOk('docker exec -it mysql mysql -u root -p todos', {
        input: [[/Enter password:/, 'secret\n'], [/\[todos\]>|mysql>/, 'SELECT COUNT(*) AS n FROM todo_items;\n'], [/row in set/, 'exit\n']],
        expect: /\| n \|[\s\S]*\| 0 \|/,
      });
      await typeOk('docker network ls', { expect: /todo-net/ });

      // troubleshooting, without compose.
      await typeOk('docker exec -it todo-app sh', { input: 'exit\n' });
      await typeOk('docker inspect todo-app', { expect: /"Status": "running"/ });
      await typeFollowing('docker stats', /todo-app/);
      await typeFollowing('docker events', /^/);

      // compose: the lesson's compose file in the learner's folder.
      const composeFile = snippets.find((s) => s.kind === 'compose' && !s.mistakes.length)!;
      fs.writeFileSync(path.join(dir, 'compose.yaml'), composeFile.text);
      await typeOk('docker rm -f todo-app mysql');
      try {
        await typeOk('docker compose up -d --build');
        await waitFor('both services healthy', async () => {
          const ps = await typeOk('docker compose ps');
          return (ps.match(/\(healthy\)/g) ?? []).length === 2 ? true : undefined;
        }, 180_000);
        await typeFollowing('docker compose logs -f app', /listens on port 3000/);
        await typeOk('docker compose logs app', { expect: /listens on port 3000/ });
        await typeOk('docker compose exec app sh', { input: 'exit\n' });
        await typeOk('docker stats --no-stream', { expect: /mysql/ });
      } finally {
        await typeOk('docker compose down');
      }
    });

    it('left no command of the lessons or of the Run buttons untried', () => {
      assert.ok(typed.length > 40, 'the story ran');
      const tried = new Set(typed);
      const missing = [
        ...lessonCommands().filter((c) => !MENTIONS.has(c.command) && !(c.command in NOT_RUN) && !tried.has(c.command)).map((c) => `${c.file}:${c.line} ${c.command}`),
        ...Object.entries(SNIPPETS).filter(([, c]) => !tried.has(c)).map(([id, c]) => `Run button ${id}: ${c}`),
      ];
      assert.deepEqual(missing, []);
    });
  });
});
