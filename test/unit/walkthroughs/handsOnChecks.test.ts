import * as assert from 'node:assert/strict';
import { ContainerInspect, EventMessage, HandsOnTracker, isNamedVolume, isTodoAppImage } from '../../../src/walkthroughs/handsOnChecks';

// Shaped like the Engine API's /events messages (Docker 20.10 – 28).
const T = 1_764_000_000;
const containerEvent = (action: string, id: string, attributes: Record<string, string>): EventMessage & Record<string, unknown> => ({
  status: action,
  id,
  from: attributes.image,
  Type: 'container',
  Action: action,
  Actor: { ID: id, Attributes: attributes },
  scope: 'local',
  time: T,
  timeNano: T * 1e9,
});
const volumeEvent = (action: string, name: string, attributes: Record<string, string>) => ({
  Type: 'volume', Action: action, Actor: { ID: name, Attributes: attributes }, scope: 'local', time: T, timeNano: T * 1e9,
});
const networkEvent = (action: string, networkId: string, attributes: Record<string, string>) => ({
  Type: 'network', Action: action, Actor: { ID: networkId, Attributes: attributes }, scope: 'local', time: T, timeNano: T * 1e9,
});
const id = (n: number) => n.toString(16).padStart(64, 'a');

describe('hands-on checks from daemon events', () => {
  it('completes the two-container demo only when both con_1 and con_2 started', () => {
    const t = new HandsOnTracker();
    assert.deepEqual(t.feedEvent(containerEvent('create', id(1), { image: 'alpine:3.20', name: 'con_1' })), []);
    assert.deepEqual(t.feedEvent(containerEvent('start', id(1), { image: 'alpine:3.20', name: 'con_1' })), []);
    assert.deepEqual(t.feedEvent(containerEvent('die', id(1), { image: 'alpine:3.20', name: 'con_1', exitCode: '0' })), []);
    assert.deepEqual(t.feedEvent(containerEvent('start', id(3), { image: 'alpine:3.20', name: 'con_3' })), []);
    assert.deepEqual(t.feedEvent(containerEvent('start', id(2), { image: 'alpine:3.20', name: 'con_2' })), ['todoApp.ephemeral']);
    assert.deepEqual(t.feedEvent(containerEvent('start', id(2), { image: 'alpine:3.20', name: 'con_2' })), [], 'reported once');
  });

  it('completes "persist data" when a named volume created while watching is mounted by a container', () => {
    const t = new HandsOnTracker();
    const anon = id(9);
    t.feedEvent(volumeEvent('create', anon, { driver: 'local' }));
    assert.deepEqual(t.feedEvent(volumeEvent('mount', anon, { container: id(4), destination: '/data', driver: 'local', propagation: '', 'read/write': 'true' })), [], 'anonymous volumes do not count');
    assert.deepEqual(t.feedEvent(volumeEvent('mount', 'old-volume', { container: id(4), destination: '/data', driver: 'local', propagation: '', 'read/write': 'true' })), [], 'a volume created before is not this exercise');
    assert.deepEqual(t.feedEvent(volumeEvent('create', 'todo-data', { driver: 'local' })), []);
    assert.deepEqual(
      t.feedEvent(volumeEvent('mount', 'todo-data', { container: id(5), destination: '/var/lib/postgresql/data', driver: 'local', propagation: '', 'read/write': 'true' })),
      ['todoApp.persistData'],
    );
  });

  it('completes networking when two containers are on one user-defined network at the same time', () => {
    const t = new HandsOnTracker();
    const net = id(20);
    // The default bridge does not count, however many containers share it.
    t.feedEvent(networkEvent('connect', id(21), { container: id(1), name: 'bridge', type: 'bridge' }));
    assert.deepEqual(t.feedEvent(networkEvent('connect', id(21), { container: id(2), name: 'bridge', type: 'bridge' })), []);
    t.feedEvent(networkEvent('connect', id(22), { container: id(1), name: 'host', type: 'host' }));
    assert.deepEqual(t.feedEvent(networkEvent('connect', id(22), { container: id(2), name: 'host', type: 'host' })), []);
    // One after the other is not "sharing".
    t.feedEvent(networkEvent('create', net, { name: 'todo-net', type: 'bridge' }));
    t.feedEvent(networkEvent('connect', net, { container: id(3), name: 'todo-net', type: 'bridge' }));
    t.feedEvent(networkEvent('disconnect', net, { container: id(3), name: 'todo-net', type: 'bridge' }));
    assert.deepEqual(t.feedEvent(networkEvent('connect', net, { container: id(4), name: 'todo-net', type: 'bridge' })), []);
    assert.deepEqual(t.feedEvent(networkEvent('connect', net, { container: id(5), name: 'todo-net', type: 'bridge' })), ['todoApp.connectApp']);
  });

  it('completes compose when two containers of one compose project start', () => {
    const t = new HandsOnTracker();
    const labels = (service: string, project: string) => ({
      'com.docker.compose.project': project,
      'com.docker.compose.service': service,
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'abc',
      image: service === 'web' ? 'todo-app-web' : 'postgres:17',
      name: `${project}-${service}-1`,
    });
    assert.deepEqual(t.feedEvent(containerEvent('start', id(30), labels('db', 'todo-app'))), []);
    assert.deepEqual(t.feedEvent(containerEvent('start', id(31), labels('db', 'other'))), []);
    assert.deepEqual(t.feedEvent(containerEvent('start', id(30), labels('db', 'todo-app'))), [], 'a restart is the same container');
    assert.deepEqual(t.feedEvent(containerEvent('start', id(32), labels('web', 'todo-app'))), ['todoApp.compose']);
  });

  it('completes build-and-run when a todo-app container starts, whatever the registry or tag', () => {
    assert.ok(isTodoAppImage('todo-app'));
    assert.ok(isTodoAppImage('todo-app:1.0'));
    assert.ok(isTodoAppImage('registry.example.com:5000/you/todo-app:1.0'));
    assert.ok(isTodoAppImage('you/todo-app@sha256:' + 'a'.repeat(64)));
    assert.ok(!isTodoAppImage('todo-app-web'));
    assert.ok(!isTodoAppImage('todo-app.io/other:1'));
    assert.ok(!isTodoAppImage(undefined));
    const t = new HandsOnTracker();
    assert.deepEqual(t.feedEvent(containerEvent('create', id(40), { image: 'todo-app:1.0', name: 'todo-web' })), []);
    assert.deepEqual(t.feedEvent(containerEvent('start', id(40), { image: 'todo-app:1.0', name: 'todo-web' })), ['todoApp.buildRun']);
  });

  it('reads the same facts from inspect data', () => {
    const t = new HandsOnTracker();
    t.feedEvent(volumeEvent('create', 'todo-data', { driver: 'local' }));
    const inspect = (n: number, over: Partial<ContainerInspect>): ContainerInspect => ({
      Id: id(n),
      Name: `/c${n}`,
      Config: { Image: 'postgres:17', Labels: {} },
      State: { Running: true },
      Mounts: [],
      NetworkSettings: { Networks: { bridge: { NetworkID: id(99) } } },
      ...over,
    });
    assert.deepEqual(t.feedContainer(inspect(50, { Mounts: [{ Type: 'volume', Name: 'todo-data' }] })), ['todoApp.persistData']);
    assert.deepEqual(t.feedContainer(inspect(51, { NetworkSettings: { Networks: { 'todo-net': { NetworkID: id(60) } } } })), []);
    assert.deepEqual(t.feedContainer(inspect(52, { NetworkSettings: { Networks: { 'todo-net': { NetworkID: id(60) } } } })), ['todoApp.connectApp']);
    assert.deepEqual(t.feedContainer(inspect(53, { Name: '/con_1' })), []);
    assert.deepEqual(t.feedContainer(inspect(54, { Name: '/con_2', Config: { Image: 'todo-app:1.0', Labels: null } })), ['todoApp.buildRun', 'todoApp.ephemeral']);
    assert.deepEqual([...t.completed].sort(), ['todoApp.buildRun', 'todoApp.connectApp', 'todoApp.ephemeral', 'todoApp.persistData']);
  });

  it('ignores messages of other shapes without throwing', () => {
    const t = new HandsOnTracker();
    const junk: unknown[] = [null, 42, 'start', {}, { Type: 'container' }, { Type: 'container', Action: 'start', Actor: {} }, { Type: 'container', Action: 'start', Actor: { ID: 5 } },
      { Type: 'network', Action: 'connect', Actor: { ID: 'n', Attributes: {} } }, { Type: 'daemon', Action: 'reload', Actor: { ID: 'x' } }];
    for (const j of junk) assert.deepEqual(t.feedEvent(j as EventMessage), []);
    for (const j of [null, {}, { Id: 3 }, { Id: 'x', Mounts: null, NetworkSettings: { Networks: null }, Config: { Labels: null } }]) {
      assert.deepEqual(t.feedContainer(j as ContainerInspect), []);
    }
    assert.ok(isNamedVolume('todo-data'));
    assert.ok(!isNamedVolume(id(1)));
  });
});
