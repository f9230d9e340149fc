import * as assert from 'node:assert/strict';
import { containerFact, ContainerInspect, demoRunFromEvent, demux, hostPath, isTrigger, parseProbeOutput, PROBE_SCRIPT } from '../../../src/walkthroughs/daemonFacts';
import { pendingStepFor, PENDING_TTL_MS } from '../../../src/walkthroughs/resume';

// A `/containers/{id}/json` answer of Docker 20.10, trimmed to what is read.
const inspect = (over: Partial<ContainerInspect> = {}): ContainerInspect => ({
  Id: 'a'.repeat(64),
  Name: '/todo-web',
  Created: '2025-06-01T10:00:00.123456789Z',
  Image: 'sha256:' + 'b'.repeat(64),
  Path: 'docker-entrypoint.sh',
  Args: ['node', 'src/server.js'],
  Config: { Image: 'todo-app:1.0', Labels: {}, Env: ['PATH=/usr/local/bin', 'NODE_VERSION=22.12.0'], Cmd: ['node', 'src/server.js'], Entrypoint: ['docker-entrypoint.sh'], ExposedPorts: { '3000/tcp': {} }, Hostname: 'aaaaaaaaaaaa' },
  State: { Status: 'running', Running: true, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: '2025-06-01T10:00:01Z', FinishedAt: '0001-01-01T00:00:00Z' },
  Mounts: [{ Type: 'volume', Name: 'todo-db', Source: '/var/lib/docker/volumes/todo-db/_data', Destination: '/etc/todos' }],
  NetworkSettings: { Networks: { 'todo-app': { NetworkID: 'n1', Aliases: ['aaaaaaaaaaaa', 'web'], DNSNames: null } } },
  ...over,
});

describe('daemon facts for the hands-on steps', () => {
  it('turns an inspected container into the facts the outcomes read', () => {
    const c = containerFact(inspect())!;
    assert.equal(c.name, 'todo-web');
    assert.equal(c.status, 'running');
    assert.equal(c.created, Date.parse('2025-06-01T10:00:00.123Z'));
    assert.equal(c.finishedAt, undefined, 'the zero time is no time');
    assert.deepEqual(c.mounts, [{ type: 'volume', name: 'todo-db', source: '/var/lib/docker/volumes/todo-db/_data', destination: '/etc/todos' }]);
    assert.deepEqual(c.networks, [{ name: 'todo-app', id: 'n1', aliases: ['web'] }], 'the short id is not a name');
    assert.equal(c.appLike, true);
    assert.equal(c.hostname, 'aaaaaaaaaaaa');
  });

  it('reads health, errors and odd or missing fields without throwing', () => {
    const c = containerFact(inspect({ State: { Status: 'running', Health: { Status: 'unhealthy', FailingStreak: 4, Log: [{ Output: 'first' }, { Output: 'last' }] } } }))!;
    assert.deepEqual(c.health, { status: 'unhealthy', failingStreak: 4, lastOutput: 'last' });
    const created = containerFact(inspect({ State: { Status: 'created', Error: 'port is already allocated', StartedAt: '0001-01-01T00:00:00Z' } }))!;
    assert.deepEqual([created.status, created.error, created.startedAt], ['created', 'port is already allocated', undefined]);
    for (const bad of [undefined, null, {}, { Id: 5 }, 'x']) assert.equal(containerFact(bad as never), undefined);
    const bare = containerFact({ Id: 'x' })!;
    assert.deepEqual([bare.name, bare.mounts, bare.networks, bare.appLike], ['', [], [], false]);
  });

  it('takes MySQL for what it is, not for an app to probe', () => {
    const mysql = containerFact(inspect({ Config: { Image: 'mysql:8.4', Cmd: ['mysqld'], Entrypoint: ['docker-entrypoint.sh'], ExposedPorts: { '3306/tcp': {}, '33060/tcp': {} }, Env: ['MYSQL_ROOT_PASSWORD=x'] }, Path: 'docker-entrypoint.sh', Args: ['mysqld'] }))!;
    assert.equal(mysql.appLike, false);
  });

  it('reads the app\'s health report from the probe\'s output', () => {
    const sqlite = parseProbeOutput(JSON.stringify({ h: { s: 200, b: { status: 'ok', startedAt: '2025-06-01T10:00:02Z', database: { kind: 'sqlite', ok: true, file: '/etc/todos/todo.db' }, items: { count: 2, oldestCreatedAt: '2025-06-01T09:00:00.000Z', newestCreatedAt: null } } } }) + '\n');
    assert.deepEqual(sqlite, { answered: true, status: 200, app: 'todo-app', db: { type: 'sqlite', ok: true, host: undefined, file: '/etc/todos/todo.db', error: undefined, serverHostname: undefined }, itemCount: 2, oldestItem: Date.parse('2025-06-01T09:00:00Z') });
    const mysql = parseProbeOutput(JSON.stringify({ h: { s: 503, b: { status: 'unavailable', database: { kind: 'mysql', ok: false, host: 'mysql', error: 'Waiting for MySQL at mysql:3306 (attempt 3): getaddrinfo ENOTFOUND mysql' } } } }));
    assert.deepEqual([mysql.status, mysql.db?.type, mysql.db?.ok, mysql.db?.host], [503, 'mysql', false, 'mysql']);
    assert.match(mysql.db!.error!, /ENOTFOUND/);
    assert.deepEqual(parseProbeOutput('{"h":{"e":"ECONNREFUSED"}}'), { answered: false, error: 'ECONNREFUSED' });
    assert.equal(parseProbeOutput('').answered, false);
    assert.match(parseProbeOutput('Error: something\n').error!, /unexpected probe output/);
    const other = parseProbeOutput('{"h":{"s":200,"b":"<html>"}}');
    assert.deepEqual([other.answered, other.app, other.db], [true, undefined, undefined], 'another app answering is not the todo app');
  });

  it('has a probe that asks only the health route, with a time limit', () => {
    assert.match(PROBE_SCRIPT, /\/health"/);
    assert.match(PROBE_SCRIPT, /AbortSignal\.timeout/);
    assert.doesNotThrow(() => new Function(PROBE_SCRIPT.replace(/fetch\(/, '(()=>Promise.reject(new Error("x")))(')), 'the probe parses as JavaScript');
  });

  it('splits Docker\'s multiplexed log stream, and leaves TTY output as it is', () => {
    const frame = (kind: number, text: string) => Buffer.concat([Buffer.from([kind, 0, 0, 0, 0, 0, 0, Buffer.byteLength(text)]), Buffer.from(text)]);
    assert.equal(demux(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')])), 'out\nerr\n');
    assert.equal(demux(Buffer.from('plain tty text\n')), 'plain tty text\n');
    assert.equal(demux(Buffer.alloc(0)), '');
    assert.equal(demux(Buffer.concat([frame(1, 'a'), Buffer.from([1, 0])])), 'a\u0001\u0000', 'a torn header is kept as text');
  });

  it('maps Docker Desktop\'s bind sources back to the host\'s folders', () => {
    assert.equal(hostPath('/home/me/todo-app', 'linux'), '/home/me/todo-app');
    assert.equal(hostPath('/run/desktop/mnt/host/c/Users/me/todo-app', 'win32'), 'C:\\Users\\me\\todo-app');
    assert.equal(hostPath('/host_mnt/Users/me/todo-app', 'darwin'), '/Users/me/todo-app');
    assert.equal(hostPath('/Users/me/todo-app', 'darwin'), '/Users/me/todo-app');
    assert.equal(hostPath('/var/lib/something', 'win32'), undefined, 'a Linux path from Windows is not visible');
    assert.equal(hostPath('', 'linux'), undefined);
  });

  it('takes demo exits from die events, with their exit codes', () => {
    const die = (name: string, exitCode: string) => ({ Type: 'container', Action: 'die', Actor: { ID: 'x', Attributes: { name, exitCode, image: 'alpine' } }, time: 1_700_000_000, timeNano: 1_700_000_000_123_000_000 });
    assert.deepEqual(demoRunFromEvent(die('con_2', '1')), { name: 'con_2', exitCode: 1, time: 1_700_000_000_123 });
    assert.equal(demoRunFromEvent(die('con_3', '1')), undefined);
    assert.equal(demoRunFromEvent({ ...die('con_1', '0'), Action: 'start' }), undefined);
    assert.equal(demoRunFromEvent({} as never), undefined);
  });

  it('looks again after events that can change an outcome, not after its own probes', () => {
    const ev = (Type: string, Action: string, attrs: Record<string, string> = {}) => ({ Type, Action, Actor: { ID: 'x', Attributes: attrs } });
    const own = new Set(['e1']);
    for (const e of [ev('container', 'start'), ev('container', 'die'), ev('container', 'health_status: healthy'), ev('container', 'exec_die', { execID: 'learner' }), ev('network', 'connect'), ev('volume', 'mount'), ev('image', 'tag')]) {
      assert.ok(isTrigger(e, own), e.Action);
    }
    for (const e of [ev('container', 'exec_die', { execID: 'e1' }), ev('container', 'exec_start: node -e x'), ev('container', 'exec_create: node -e x'), ev('container', 'archive-path'), ev('container', 'attach'), ev('daemon', 'reload'), ev('plugin', 'enable')]) {
      assert.ok(!isTrigger(e, own), e.Action);
    }
  });
});

describe('back to the step after creating the sample', () => {
  const now = 1_750_000_000_000;
  const pending = { step: 'todoApp.project', folder: '/home/me/todo-app', at: now - 60_000 };
  it('is the window that opened the sample\'s folder that shows the step', () => {
    assert.deepEqual(pendingStepFor(pending, ['/home/me/todo-app/'], now), pending);
    assert.equal(pendingStepFor(pending, ['/home/me/other'], now), undefined);
    assert.equal(pendingStepFor(pending, [], now), undefined);
  });
  it('forgets old, unknown or damaged records', () => {
    assert.equal(pendingStepFor({ ...pending, at: now - PENDING_TTL_MS - 1 }, [pending.folder], now), undefined);
    assert.equal(pendingStepFor({ ...pending, step: 'todoApp.nope' }, [pending.folder], now), undefined);
    for (const bad of [undefined, null, 'x', 42, { step: 1 }, { ...pending, at: 'now' }]) assert.equal(pendingStepFor(bad, [pending.folder], now), undefined);
  });
});
