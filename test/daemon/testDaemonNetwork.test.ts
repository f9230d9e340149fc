/**
 * The test daemon with `network: true`: a namespace of its own where the learner's networking works as written (a
 * default bridge, published ports, names on user-defined networks), two of them side by side without colliding, a
 * restart in the same namespace, and nothing left on this machine after stop.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type Dockerode from 'dockerode';
import { execInDaemonNetwork, startTestDaemon, TestDaemon } from '../support/testDaemon';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const netnsList = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
const linkExists = (name: string) => {
  try {
    execFileSync('ip', ['link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** A busybox httpd on port 3000 that answers with `text`, published on the host's 3000 unless on `network`. */
async function webServer(docker: Dockerode, name: string, text: string, network?: string): Promise<void> {
  const c = await docker.createContainer({
    name,
    Image: 'dockwise-test/busybox:1.0',
    Cmd: ['/bin/busybox', 'sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec /bin/busybox httpd -f -p 3000 -h /www`],
    ExposedPorts: { '3000/tcp': {} },
    HostConfig: network ? { NetworkMode: network } : { PortBindings: { '3000/tcp': [{ HostPort: '3000' }] } },
  });
  await c.start();
}

async function get(url: string): Promise<string | undefined> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return (await res.text()).trim();
    } catch {
      /* not yet */
    }
    await sleep(200);
  }
  return undefined;
}

describe('The test daemon in a network namespace of its own', function () {
  this.timeout(240_000);
  let a: TestDaemon;
  let b: TestDaemon;

  before(async () => {
    [a, b] = await Promise.all([startTestDaemon({ network: true }), startTestDaemon({ network: true })]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('has a default bridge on a bridge of its own, not docker0, inside its namespace', async () => {
    const bridge = await a.docker.getNetwork('bridge').inspect();
    assert.equal(bridge.Options?.['com.docker.network.bridge.name'], a.network!.bridge, 'the bridge made for it, not docker0');
    assert.deepEqual(bridge.IPAM?.Config?.map((c) => c.Subnet), ['172.17.0.0/16']);
    assert.match(netnsList(), new RegExp(`^${a.network!.netns}\\b`, 'm'));
    assert.notEqual(a.network!.netns, b.network!.netns);
    assert.ok(!linkExists(a.network!.bridge), `${a.network!.bridge} is not on this machine, only in the namespace`);
    assert.match(execInDaemonNetwork(a, ['ip', '-4', 'addr', 'show', a.network!.bridge]), /inet 172\.17\.0\.1\/16/);
  });

  it('publishes port 3000 in two daemons at once, each reachable from this machine at its own address', async () => {
    await webServer(a.docker, 'web-a', 'from-a');
    await webServer(b.docker, 'web-b', 'from-b');
    assert.equal(await get(`http://${a.network!.publishedAddress}:3000/`), 'from-a');
    assert.equal(await get(`http://${b.network!.publishedAddress}:3000/`), 'from-b');
    assert.equal(execInDaemonNetwork(a, ['/bin/busybox', 'wget', '-qO-', 'http://127.0.0.1:3000/']).trim(), 'from-a', 'localhost in the namespace');
  });

  it('resolves container names on a user-defined network, and keeps the namespace across a restart', async () => {
    await a.docker.createNetwork({ Name: 'named-net', Driver: 'bridge' });
    await webServer(a.docker, 'web-named', 'by-name', 'named-net');
    const fetcher = await a.docker.createContainer({
      Image: 'dockwise-test/busybox:1.0',
      Cmd: ['/bin/busybox', 'sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do /bin/busybox wget -qO- http://web-named:3000/ && exit 0; sleep 1; done; exit 1'],
      HostConfig: { NetworkMode: 'named-net' },
    });
    await fetcher.start();
    assert.equal(((await fetcher.wait()) as { StatusCode: number }).StatusCode, 0);
    const out = await fetcher.logs({ stdout: true, stderr: true });
    assert.match(out.toString('utf8'), /by-name/);
    await fetcher.remove();

    const netns = a.network!.netns;
    await a.restart();
    assert.equal(a.network!.netns, netns);
    await a.docker.getContainer('web-a').start();
    assert.equal(await get(`http://${a.network!.publishedAddress}:3000/`), 'from-a', 'published again after the restart');
  });

  it('leaves no namespace and no link behind when stopped', async () => {
    const { netns, hostLink } = b.network!;
    await b.stop();
    assert.doesNotMatch(netnsList(), new RegExp(`^${netns}\\b`, 'm'));
    assert.ok(!linkExists(hostLink));
    assert.ok(!fs.existsSync(b.root));
  });
});
