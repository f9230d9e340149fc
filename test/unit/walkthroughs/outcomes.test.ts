import * as assert from 'node:assert/strict';
import { COURSE } from '../../../src/walkthroughs/course';
import { AppReport, ContainerFact, DaemonFacts, evaluate, isTodoAppImage, OUTCOME_IDS, startErrorHint } from '../../../src/walkthroughs/outcomes';

// Facts shaped as daemonFacts.ts builds them from the Engine API (see its unit and daemon tests).
const T0 = Date.parse('2025-06-01T10:00:00Z');
let n = 0;
function container(over: Partial<ContainerFact> = {}): ContainerFact {
  n++;
  return {
    id: n.toString(16).padStart(64, 'c'),
    name: `c${n}`,
    image: 'todo-app:1.0',
    imageId: 'sha256:app',
    created: T0,
    status: 'running',
    startedAt: T0 + 500,
    labels: {},
    mounts: [],
    networks: [{ name: 'bridge', id: 'net-bridge', aliases: [] }],
    appLike: true,
    ...over,
  };
}
const sqliteReport = (over: Partial<AppReport> = {}): AppReport => ({
  answered: true,
  status: 200,
  app: 'todo-app',
  db: { type: 'sqlite', ok: true, file: '/etc/todos/todo.db' },
  itemCount: 0,
  ...over,
});
const mysqlReport = (host: string, ok: boolean, over: Partial<AppReport['db']> = {}): AppReport => ({
  answered: true,
  status: ok ? 200 : 503,
  app: 'todo-app',
  db: { type: 'mysql', ok, host, ...over },
});
const facts = (over: Partial<DaemonFacts> = {}): DaemonFacts => ({ images: [{ id: 'sha256:app', tags: ['todo-app:1.0'] }], containers: [], demoRuns: [], ...over });

describe('hands-on outcomes', () => {
  it('cover every hands-on step of the course, one outcome per step', () => {
    const used = COURSE.flatMap((w) => w.steps.filter((s) => s.completion === 'handsOn').map((s) => s.outcome));
    assert.ok(used.every((o) => o && OUTCOME_IDS.includes(o)));
    assert.equal(new Set(used).size, used.length, 'no outcome ticks two steps');
  });

  it('know the todo app\'s image by its name in any registry or tag', () => {
    for (const ok of ['todo-app', 'todo-app:1.0', 'you/todo-app:2', 'localhost:5000/todo-app:1.0', 'todo-app@sha256:abc']) assert.ok(isTodoAppImage(ok), ok);
    for (const no of ['todo-app-db', 'node:22', 'mysql:8.4', 'todo:app', '', undefined]) assert.ok(!isTodoAppImage(no), String(no));
  });

  describe('imageRuns: an image of the app, a container of it running, and the app answering', () => {
    it('is pending without an image, and asks for a container once the image exists', () => {
      assert.equal(evaluate('imageRuns', facts({ images: [] })).state, 'pending');
      const o = evaluate('imageRuns', facts());
      assert.equal(o.state, 'pending');
      assert.match(o.summary, /todo-app:1\.0 is built/);
    });

    it('is done when the container is healthy, or, without a healthcheck, when its app answers 2xx', () => {
      assert.equal(evaluate('imageRuns', facts({ containers: [container({ health: { status: 'healthy', failingStreak: 0 } })] })).state, 'done');
      const answering = evaluate('imageRuns', facts({ containers: [container({ name: 'todo-web', report: sqliteReport() })] }));
      assert.equal(answering.state, 'done');
      assert.match(answering.summary, /todo-web .*answers/);
    });

    it('counts a container whose app says it is the todo app, whatever the image is called', () => {
      const c = container({ image: 'mine:dev', imageId: 'sha256:other', report: sqliteReport() });
      assert.equal(evaluate('imageRuns', facts({ containers: [c] })).state, 'done');
    });

    it('does not tick on a container that merely started: waiting while the app does not answer yet', () => {
      const o = evaluate('imageRuns', facts({ containers: [container({ report: { answered: false, error: 'ECONNREFUSED' } })] }));
      assert.equal(o.state, 'waiting');
      assert.match(o.summary, /ECONNREFUSED/);
      assert.equal(evaluate('imageRuns', facts({ containers: [container({ health: { status: 'starting', failingStreak: 0 }, report: sqliteReport() })] })).state, 'waiting');
    });

    it('reports an app that exited, with its exit code and last log lines', () => {
      const c = container({ name: 'todo-web', status: 'exited', exitCode: 1, finishedAt: T0 + 2000, logTail: ['Error: Cannot find module \'/app/src/server.js\''] });
      const o = evaluate('imageRuns', facts({ containers: [c] }));
      assert.equal(o.state, 'problem');
      assert.match(o.summary, /todo-web exited with code 1/);
      assert.deepEqual(o.logTail, c.logTail);
      assert.match(o.hint!, /docker logs todo-web/);
      assert.equal(o.at, T0 + 2000);
      assert.ok(o.signature);
    });

    it('reports a port in use when the daemon could not start the container', () => {
      const error = 'driver failed programming external connectivity on endpoint todo-web (abc): Bind for 0.0.0.0:3000 failed: port is already allocated';
      const o = evaluate('imageRuns', facts({ containers: [container({ name: 'todo-web', status: 'created', startedAt: undefined, error })] }));
      assert.equal(o.state, 'problem');
      assert.match(o.summary, /could not start: .*port is already allocated/);
      assert.match(o.hint!, /Port 3000 .*already taken.*-p 3001:3000/);
    });

    it('reports an unhealthy container, and tells a wrong HEALTHCHECK from an app that does not answer', () => {
      const broken = evaluate('imageRuns', facts({ containers: [container({ health: { status: 'unhealthy', failingStreak: 3, lastOutput: 'curl: not found' }, report: sqliteReport() })] }));
      assert.equal(broken.state, 'problem');
      assert.match(broken.summary, /answers on \/health, yet its HEALTHCHECK failed 3 times.*curl: not found/);
      assert.match(broken.hint!, /The check itself is wrong/);
      const dead = evaluate('imageRuns', facts({ containers: [container({ health: { status: 'unhealthy', failingStreak: 5 }, report: { answered: false, error: 'ECONNREFUSED' } })] }));
      assert.match(dead.hint!, /does not answer/);
    });

    it('prefers a running, answering container over older failed ones', () => {
      const old = container({ status: 'exited', exitCode: 1, created: T0 - 60_000 });
      const now = container({ report: sqliteReport() });
      assert.equal(evaluate('imageRuns', facts({ containers: [old, now] })).state, 'done');
    });
  });

  describe('imagePushed: the registry runs and holds the image', () => {
    const registry = (over: Partial<ContainerFact> = {}) => container({ name: 'registry', image: 'registry:2', imageId: 'sha256:reg', appLike: false, ...over });
    const pushedImage = { id: 'sha256:app', tags: ['todo-app:1.0', 'localhost:5000/todo-app:1.0'], digests: ['localhost:5000/todo-app@sha256:' + 'd'.repeat(64)] };
    it('is done when the image has a digest from the local registry and the registry runs', () => {
      const o = evaluate('imagePushed', facts({ images: [pushedImage], containers: [registry()] }));
      assert.equal(o.state, 'done');
      assert.match(o.summary, /localhost:5000\/todo-app is in the registry registry runs/);
    });
    it('is not done for a tag alone, a digest from Docker Hub, or a registry that is gone', () => {
      const tagged = { ...pushedImage, digests: [] };
      assert.match(evaluate('imagePushed', facts({ images: [tagged], containers: [registry()] })).summary, /now push it/);
      const hub = { ...pushedImage, tags: ['todo-app:1.0'], digests: ['you/todo-app@sha256:' + 'e'.repeat(64)] };
      assert.equal(evaluate('imagePushed', facts({ images: [hub], containers: [registry()] })).state, 'pending');
      assert.equal(evaluate('imagePushed', facts({ images: [pushedImage] })).state, 'pending');
      const exited = evaluate('imagePushed', facts({ images: [tagged], containers: [registry({ status: 'exited', exitCode: 1 })] }));
      assert.equal(exited.state, 'problem');
    });
  });

  describe('ephemeralDemo: con_1 writes a file, con_2 cannot find it', () => {
    const run = (name: string, exitCode: number, t: number) => ({ name, exitCode, time: T0 + t });
    it('is done when con_2 failed after con_1 succeeded', () => {
      assert.equal(evaluate('ephemeralDemo', facts({ demoRuns: [run('con_1', 0, 1), run('con_2', 1, 2)] })).state, 'done');
    });
    it('is not done in the wrong order or with only one of them', () => {
      assert.equal(evaluate('ephemeralDemo', facts({ demoRuns: [run('con_2', 1, 1), run('con_1', 0, 2)] })).state, 'pending');
      assert.equal(evaluate('ephemeralDemo', facts({ demoRuns: [run('con_1', 0, 1)] })).state, 'pending');
      assert.equal(evaluate('ephemeralDemo', facts()).state, 'pending');
    });
    it('is a problem when con_2 found the file (shared storage) or con_1 failed', () => {
      const shared = evaluate('ephemeralDemo', facts({ demoRuns: [run('con_1', 0, 1), run('con_2', 0, 2)] }));
      assert.equal(shared.state, 'problem');
      assert.match(shared.summary, /con_2 found greeting\.txt/);
      const failed = evaluate('ephemeralDemo', facts({ demoRuns: [run('con_1', 125, 1)] }));
      assert.equal(failed.state, 'problem');
      assert.match(failed.summary, /con_1 exited with code 125/);
    });
    it('recovers when the learner runs the demo again properly', () => {
      const runs = [run('con_1', 0, 1), run('con_2', 0, 2), run('con_1', 0, 3), run('con_2', 1, 4)];
      assert.equal(evaluate('ephemeralDemo', facts({ demoRuns: runs })).state, 'done');
    });
  });

  describe('volumePersists: an item older than the container, kept in a named volume where the data lives', () => {
    const vol = (name: string, destination: string) => ({ type: 'volume', name, source: `/var/lib/docker/volumes/${name}/_data`, destination });
    it('is done when the replacement container lists an item created before it', () => {
      const c = container({ name: 'todo-web', mounts: [vol('todo-db', '/etc/todos')], report: sqliteReport({ itemCount: 1, oldestItem: T0 - 30_000 }) });
      const o = evaluate('volumePersists', facts({ containers: [c] }));
      assert.equal(o.state, 'done');
      assert.match(o.summary, /volume todo-db at \/etc\/todos/);
    });
    it('is not done while every item is younger than the container (it was not replaced yet)', () => {
      const c = container({ mounts: [vol('todo-db', '/etc/todos')], report: sqliteReport({ itemCount: 2, oldestItem: T0 + 10_000 }) });
      const o = evaluate('volumePersists', facts({ containers: [c] }));
      assert.equal(o.state, 'pending');
      assert.match(o.summary, /replace the container/);
    });
    it('is a problem when the volume is mounted where the data does not live', () => {
      const c = container({ name: 'todo-web', mounts: [vol('todo-db', '/data')], report: sqliteReport({ itemCount: 1, oldestItem: T0 + 10_000 }) });
      const o = evaluate('volumePersists', facts({ containers: [c] }));
      assert.equal(o.state, 'problem');
      assert.match(o.summary, /at \/data, but the app keeps its data in \/etc\/todos\/todo\.db/);
      assert.match(o.hint!, /-v todo-db:\/etc\/todos/);
    });
    it('follows the database file the app reports, and rejects anonymous volumes', () => {
      const custom = container({ mounts: [vol('todo-db', '/var/data')], report: sqliteReport({ db: { type: 'sqlite', ok: true, file: '/var/data/todo.db' }, itemCount: 1, oldestItem: T0 - 1 }) });
      assert.equal(evaluate('volumePersists', facts({ containers: [custom] })).state, 'done');
      const anon = container({ mounts: [vol('f'.repeat(64), '/etc/todos')], report: sqliteReport({ itemCount: 1, oldestItem: T0 - 1 }) });
      assert.equal(evaluate('volumePersists', facts({ containers: [anon] })).state, 'problem');
    });
    it('does not count a bind mount or an app on MySQL', () => {
      const bind = container({ mounts: [{ type: 'bind', source: '/home/me/data', destination: '/etc/todos' }], report: sqliteReport({ itemCount: 1, oldestItem: T0 - 1 }) });
      assert.equal(evaluate('volumePersists', facts({ containers: [bind] })).state, 'pending');
      const mysql = container({ mounts: [vol('todo-db', '/etc/todos')], report: mysqlReport('mysql', true) });
      assert.equal(evaluate('volumePersists', facts({ containers: [mysql] })).state, 'pending');
    });
  });

  describe('bindMountFile: myfile.txt in the container\'s bind-mounted folder and in that folder on the host', () => {
    it('is done when both sides see it', () => {
      const c = container({ name: 'todo-dev', files: [{ path: '/src/myfile.txt', inContainer: true, onHost: true, hostPath: '/home/me/todo-app', mountType: 'bind' }] });
      const o = evaluate('bindMountFile', facts({ containers: [c] }));
      assert.equal(o.state, 'done');
      assert.match(o.summary, /myfile\.txt, created in \/src of todo-dev, is in your folder \/home\/me\/todo-app/);
    });
    it('is a problem when /src is a volume or not mounted at all', () => {
      const volume = container({ files: [{ path: '/src/myfile.txt', inContainer: true, mountType: 'volume' }] });
      assert.match(evaluate('bindMountFile', facts({ containers: [volume] })).summary, /a volume, not your folder/);
      const none = container({ files: [{ path: '/src/myfile.txt', inContainer: true }] });
      const o = evaluate('bindMountFile', facts({ containers: [none] }));
      assert.equal(o.state, 'problem');
      assert.match(o.hint!, /-v "\$\(pwd\)":\/src/);
    });
    it('waits for the file while the folder is mounted, and ignores stopped containers', () => {
      const mounted = container({ files: [{ path: '/src/myfile.txt', inContainer: false, onHost: false, hostPath: '/home/me/todo-app', mountType: 'bind' }] });
      assert.equal(evaluate('bindMountFile', facts({ containers: [mounted] })).state, 'pending');
      const stopped = container({ status: 'exited', files: [{ path: '/src/myfile.txt', inContainer: true, onHost: true, mountType: 'bind' }] });
      assert.equal(evaluate('bindMountFile', facts({ containers: [stopped] })).state, 'pending');
    });
  });

  describe('appReachesMysql: the app reports MySQL answering, by a container\'s name on a network you created', () => {
    const net = (name: string, id = `net-${name}`, aliases: string[] = []) => ({ name, id, aliases });
    const mysql = (over: Partial<ContainerFact> = {}) => container({ name: 'mysql', image: 'mysql:8.4', imageId: 'sha256:mysql', appLike: false, hostname: 'abcdef123456', networks: [net('todo-app')], ...over });

    it('is done when the server the app reached is the container behind the name, on a shared user-defined network', () => {
      const app = container({ name: 'todo-web', networks: [net('todo-app')], report: mysqlReport('mysql', true, { serverHostname: 'abcdef123456' }) });
      const o = evaluate('appReachesMysql', facts({ containers: [app, mysql()] }));
      assert.equal(o.state, 'done');
      assert.match(o.summary, /by the name "mysql" \(mysql\) over the network todo-app/);
    });

    it('accepts a network alias as the name', () => {
      const app = container({ networks: [net('todo-app')], report: mysqlReport('db', true) });
      const db = mysql({ name: 'todo-mysql', networks: [net('todo-app', 'net-todo-app', ['db'])] });
      assert.equal(evaluate('appReachesMysql', facts({ containers: [app, db] })).state, 'done');
    });

    it('is a problem, naming both networks, when the two containers are on different networks', () => {
      const app = container({ name: 'todo-web', networks: [net('front')], report: mysqlReport('mysql', false, { error: 'getaddrinfo ENOTFOUND mysql' }) });
      const o = evaluate('appReachesMysql', facts({ containers: [app, mysql({ networks: [net('back')] })] }));
      assert.equal(o.state, 'problem');
      assert.match(o.summary, /todo-web is on front and mysql on back: they share no network/);
      assert.match(o.summary, /ENOTFOUND/);
      assert.equal(o.hint, "Attach todo-web to mysql's network: docker network connect back todo-web (or run it again with --network back).");
    });

    it('on the default bridge, says to create the course\'s network and attach both, never a network named after a container', () => {
      const app = container({ name: 'todo-app', networks: [net('bridge', 'net-bridge')], report: mysqlReport('mysql', false) });
      const o = evaluate('appReachesMysql', facts({ containers: [app, mysql({ networks: [net('bridge', 'net-bridge')] })] }));
      assert.match(o.hint!, /docker network create todo-net, then docker network connect todo-net mysql and docker network connect todo-net todo-app/);
    });

    it('explains the default bridge, which has no names', () => {
      const app = container({ report: mysqlReport('mysql', false) });
      const o = evaluate('appReachesMysql', facts({ containers: [app, mysql({ networks: [net('bridge', 'net-bridge')] })] }));
      assert.match(o.summary, /default bridge network, where containers cannot find each other by name/);
    });

    it('does not tick when MySQL was reached some other way (an address, not a container on a user network)', () => {
      const app = container({ networks: [net('bridge', 'net-bridge')], report: mysqlReport('172.17.0.3', true) });
      const o = evaluate('appReachesMysql', facts({ containers: [app, mysql({ networks: [net('bridge', 'net-bridge')] })] }));
      assert.equal(o.state, 'problem');
      assert.match(o.summary, /not the name of a container on a network you created/);
    });

    it('does not tick when the server that answered is another container than the one with the name', () => {
      const app = container({ networks: [net('todo-app')], report: mysqlReport('mysql', true, { serverHostname: 'somewhereelse' }) });
      assert.notEqual(evaluate('appReachesMysql', facts({ containers: [app, mysql()] })).state, 'done');
    });

    it('waits while MySQL starts, and reports refused credentials, a missing name and an exited MySQL', () => {
      const app = (err: string) => container({ networks: [net('todo-app')], report: mysqlReport('mysql', false, { error: err }) });
      assert.equal(evaluate('appReachesMysql', facts({ containers: [app('connect ECONNREFUSED 172.18.0.2:3306'), mysql()] })).state, 'waiting');
      const refused = evaluate('appReachesMysql', facts({ containers: [app('ER_ACCESS_DENIED_ERROR: Access denied for user'), mysql()] }));
      assert.equal(refused.state, 'problem');
      assert.match(refused.hint!, /MYSQL_PASSWORD/);
      const missing = evaluate('appReachesMysql', facts({ containers: [app('getaddrinfo ENOTFOUND mysql')] }));
      assert.match(missing.summary, /no container has that name/);
      const exited = evaluate('appReachesMysql', facts({ containers: [app('x'), mysql({ status: 'exited', exitCode: 1, logTail: ['[ERROR] --initialize specified but the data directory has files in it'] })] }));
      assert.equal(exited.state, 'problem');
      assert.match(exited.summary, /cannot reach MySQL: mysql exited with code 1/);
      assert.ok(exited.logTail?.length);
    });

    it('is pending while the app still runs on SQLite', () => {
      const o = evaluate('appReachesMysql', facts({ containers: [container({ report: sqliteReport() })] }));
      assert.equal(o.state, 'pending');
      assert.match(o.summary, /still uses sqlite/);
    });
  });

  describe('composeHealthy: every service of a project running, healthy, and the app\'s database answering', () => {
    const svc = (project: string, service: string, over: Partial<ContainerFact> = {}) =>
      container({ name: `${project}_${service}_1`, labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.oneoff': 'False' }, ...over });
    it('is done when the app and mysql run, mysql healthy, and the app reaches it', () => {
      const o = evaluate('composeHealthy', facts({
        containers: [
          svc('todo-app', 'app', { image: 'todo-app_app', imageId: 'sha256:c', report: mysqlReport('mysql', true) }),
          svc('todo-app', 'mysql', { image: 'mysql:8.4', health: { status: 'healthy', failingStreak: 0 } }),
        ],
      }));
      assert.equal(o.state, 'done');
      assert.match(o.summary, /Compose project todo-app: app, mysql run, healthy/);
    });
    it('is a problem when a service exited, with its log lines', () => {
      const o = evaluate('composeHealthy', facts({
        containers: [
          svc('todo-app', 'app', { report: mysqlReport('mysql', false) }),
          svc('todo-app', 'mysql', { status: 'exited', exitCode: 1, logTail: ['boom'] }),
        ],
      }));
      assert.equal(o.state, 'problem');
      assert.match(o.summary, /Compose project todo-app: .*exited with code 1/);
      assert.deepEqual(o.logTail, ['boom']);
    });
    it('waits while a healthcheck says starting or the app\'s database does not answer yet', () => {
      const starting = facts({ containers: [svc('p', 'app', { report: mysqlReport('mysql', true) }), svc('p', 'mysql', { health: { status: 'starting', failingStreak: 0 } })] });
      assert.equal(evaluate('composeHealthy', starting).state, 'waiting');
      const noDb = facts({ containers: [svc('p', 'app', { report: mysqlReport('mysql', false) }), svc('p', 'mysql', { health: { status: 'healthy', failingStreak: 0 } })] });
      assert.equal(evaluate('composeHealthy', noDb).state, 'waiting');
    });
    it('needs two services of one project, ignores one-off containers, and looks at the newest container of a service', () => {
      assert.equal(evaluate('composeHealthy', facts({ containers: [svc('p', 'app', { report: mysqlReport('mysql', true) })] })).state, 'pending');
      const oneoff = svc('p', 'mysql', { labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 'mysql', 'com.docker.compose.oneoff': 'True' } });
      assert.equal(evaluate('composeHealthy', facts({ containers: [svc('p', 'app', { report: mysqlReport('mysql', true) }), oneoff] })).state, 'pending');
      const oldDead = svc('p', 'mysql', { status: 'exited', exitCode: 1, created: T0 - 100_000 });
      const fresh = svc('p', 'mysql', { health: { status: 'healthy', failingStreak: 0 } });
      assert.equal(evaluate('composeHealthy', facts({ containers: [svc('p', 'app', { report: mysqlReport('mysql', true) }), oldDead, fresh] })).state, 'done');
    });
  });

  it('suggests what to try for the daemon\'s start errors', () => {
    assert.match(startErrorHint('Error starting userland proxy: listen tcp4 0.0.0.0:3000: bind: address already in use', 'w'), /Port 3000/);
    assert.match(startErrorHint('error while creating mount source path \'/nope\': mkdir /nope: read-only file system; bind source path does not exist: /nope', 'w'), /mount's source/);
    assert.match(startErrorHint('OCI runtime create failed: exec: "nod": executable file not found in $PATH', 'w'), /CMD\/ENTRYPOINT/);
    assert.match(startErrorHint('something odd', 'w'), /docker rm w/);
  });
});
