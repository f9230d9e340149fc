import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDockerClient, EndpointError, knownDaemons, parseChoice, parseHost, resolveEndpoint } from '../../../src/docker/connection';

const homes: string[] = [];

function fakeHome(contexts: Record<string, string>, current?: string, tls: Record<string, string[]> = {}): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-home-'));
  homes.push(home);
  const dir = path.join(home, '.docker');
  fs.mkdirSync(dir, { recursive: true });
  if (current !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ currentContext: current }));
  for (const [name, host] of Object.entries(contexts)) {
    const id = createHash('sha256').update(name).digest('hex');
    const meta = path.join(dir, 'contexts', 'meta', id);
    fs.mkdirSync(meta, { recursive: true });
    fs.writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    if (tls[name]) {
      const dir = path.join(home, '.docker', 'contexts', 'tls', id, 'docker');
      fs.mkdirSync(dir, { recursive: true });
      for (const f of tls[name]) fs.writeFileSync(path.join(dir, f), 'pem');
    }
  }
  return home;
}

describe('docker endpoint resolution', () => {
  after(() => {
    for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
  });

  it('prefers the setting over DOCKER_HOST and the context', () => {
    const home = fakeHome({ colima: 'unix:///home/me/.colima/docker.sock' }, 'colima');
    const ep = resolveEndpoint({ setting: 'tcp://10.1.2.3:2375', env: { DOCKER_HOST: 'unix:///x.sock' }, home });
    assert.equal(ep.source, 'setting');
    assert.equal(ep.protocol, 'tcp');
    assert.equal(ep.hostname, '10.1.2.3');
    assert.equal(ep.port, 2375);
    assert.match(ep.description, /dockwise\.dockerHost/);
  });

  it('uses DOCKER_HOST with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const ep = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, home: '/nonexistent' });
    assert.equal(ep.source, 'env');
    assert.deepEqual(ep.tls, { certPath: '/certs', verify: true, from: 'env' });
    assert.match(ep.description, /^DOCKER_HOST \(tcp:\/\/docker\.example:2376, TLS\)$/);
  });

  it('reads the current context from config.json and its meta.json', () => {
    const home = fakeHome({ colima: 'unix:///home/me/.colima/docker.sock' }, 'colima');
    const ep = resolveEndpoint({ env: {}, home });
    assert.equal(ep.source, 'context');
    assert.equal(ep.contextName, 'colima');
    assert.equal(ep.socketPath, '/home/me/.colima/docker.sock');
    assert.match(ep.description, /context "colima"/);
  });

  it('DOCKER_CONTEXT overrides the configured context', () => {
    const home = fakeHome({ a: 'unix:///a.sock', b: 'unix:///b.sock' }, 'a');
    assert.equal(resolveEndpoint({ env: { DOCKER_CONTEXT: 'b' }, home }).socketPath, '/b.sock');
  });

  it('falls back to the platform default, and survives a broken config.json', () => {
    const home = fakeHome({});
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), '\u0000garbage{');
    assert.equal(resolveEndpoint({ env: {}, home, platform: 'linux' }).host, 'unix:///var/run/docker.sock');
    assert.equal(resolveEndpoint({ env: {}, home, platform: 'win32' }).protocol, 'npipe');
    const mac = resolveEndpoint({ env: {}, home: '/Users/me', platform: 'darwin', exists: (p) => p === '/Users/me/.docker/run/docker.sock' });
    assert.equal(mac.socketPath, '/Users/me/.docker/run/docker.sock');
  });

  it('parses the address forms and rejects the rest with a clear message', () => {
    assert.equal(parseHost('npipe:////./pipe/docker_engine').socketPath, '\\\\.\\pipe\\docker_engine');
    assert.equal(parseHost('ssh://me@box').port, 22);
    assert.equal(parseHost('/run/docker.sock').host, 'unix:///run/docker.sock');
    assert.throws(() => parseHost('ftp://x'), EndpointError);
    assert.throws(() => parseHost('unix://relative.sock'), /absolute path/);
  });

  it('builds a dockerode client for a socket and for tcp', () => {
    const unix = createDockerClient(parseHostEndpoint('unix:///tmp/x.sock'));
    assert.equal((unix.modem as unknown as { socketPath: string }).socketPath, '/tmp/x.sock');
    const tcp = createDockerClient(parseHostEndpoint('tcp://127.0.0.1:2375'));
    assert.equal((tcp.modem as unknown as { host: string }).host, '127.0.0.1');
  });
});

describe('the daemon every call goes to', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
  });

  it('a socket chosen in the setting is not overridden by a tcp:// DOCKER_HOST in the environment', () => {
    process.env.DOCKER_HOST = 'tcp://10.9.9.9:2375';
    const ep = resolveEndpoint({ setting: 'unix:///run/chosen.sock', env: process.env, home: '/nonexistent' });
    assert.equal(ep.source, 'setting');
    const modem = createDockerClient(ep).modem as unknown as { host?: string; socketPath?: string };
    assert.equal(modem.socketPath, '/run/chosen.sock');
    assert.equal(modem.host, undefined, 'docker-modem would take DOCKER_HOST and ignore the socket');
  });

  it('builds the client even when DOCKER_CERT_PATH in the environment points at nothing, for a socket', () => {
    process.env.DOCKER_HOST = 'tcp://10.9.9.9:2376';
    process.env.DOCKER_CERT_PATH = '/nonexistent/certs';
    const modem = createDockerClient(parseHostEndpoint('unix:///run/x.sock')).modem as unknown as { socketPath?: string; ca?: unknown };
    assert.equal(modem.socketPath, '/run/x.sock');
    assert.equal(modem.ca, undefined);
  });

  it('DOCKER_TLS_VERIFY=0 means verification on, as for the docker CLI (any non-empty value)', () => {
    for (const value of ['0', '1', 'false', 'yes']) {
      const ep = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://d.example:2376', DOCKER_TLS_VERIFY: value, DOCKER_CERT_PATH: '/c' }, home: '/h' });
      assert.deepEqual(ep.tls, { certPath: '/c', verify: true, from: 'env' }, `DOCKER_TLS_VERIFY=${value}`);
    }
    const off = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://d.example:2375', DOCKER_TLS_VERIFY: '' }, home: '/h' });
    assert.equal(off.tls, undefined);
    const tlsOnly = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://d.example:2376', DOCKER_TLS: '1' }, home: '/h' });
    assert.deepEqual(tlsOnly.tls, { certPath: '/h/.docker', verify: false, from: 'env' });
  });

  it('a missing ca.pem with TLS from the environment is an error naming the file, never the system roots', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-certs-'));
    homes.push(dir);
    fs.writeFileSync(path.join(dir, 'cert.pem'), 'x');
    fs.writeFileSync(path.join(dir, 'key.pem'), 'x');
    const ep = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://d.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir }, home: '/h' });
    assert.throws(() => createDockerClient(ep), (e: Error) => e instanceof EndpointError && e.message.includes(path.join(dir, 'ca.pem')));
    fs.writeFileSync(path.join(dir, 'ca.pem'), 'x');
    const modem = createDockerClient(ep).modem as unknown as { protocol: string; ca: Buffer; port: number };
    assert.equal(modem.protocol, 'https');
    assert.equal(modem.ca.toString(), 'x');
    assert.equal(modem.port, 2376);
    fs.rmSync(path.join(dir, 'key.pem'));
    assert.throws(() => createDockerClient(ep), /cert\.pem but no key\.pem/);
  });
});

describe('the daemons Docker knows, for the picker', () => {
  after(() => {
    for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
  });

  it('lists DOCKER_HOST, the default socket and every context, marking what the docker CLI uses', () => {
    const home = fakeHome({ colima: 'unix:///home/me/.colima/docker.sock', remote: 'tcp://10.0.0.5:2376', empty: '' }, 'colima', { remote: ['ca.pem', 'cert.pem', 'key.pem'] });
    const withoutEnv = knownDaemons({ env: {}, home, platform: 'linux' });
    assert.deepEqual(
      withoutEnv.map((k) => [k.label, k.detail, k.dockerCurrent]),
      [
        ['default', 'unix:///var/run/docker.sock', false],
        ['colima', 'unix:///home/me/.colima/docker.sock', true],
        ['empty', 'no docker endpoint', false],
        ['remote', 'tcp://10.0.0.5:2376, TLS', false],
      ],
    );
    const remote = withoutEnv.find((k) => k.label === 'remote')!;
    assert.deepEqual(remote.choice, { kind: 'context', name: 'remote' });
    assert.equal(remote.endpoint?.tls?.certPath, path.join(home, '.docker', 'contexts', 'tls', createHash('sha256').update('remote').digest('hex'), 'docker'));
    const withEnv = knownDaemons({ env: { DOCKER_HOST: 'tcp://1.2.3.4:2375' }, home, platform: 'linux' });
    assert.deepEqual(withEnv.filter((k) => k.dockerCurrent).map((k) => k.label), ['DOCKER_HOST']);
  });

  it('a chosen context wins over the setting and DOCKER_HOST, and a vanished one falls back', () => {
    const home = fakeHome({ colima: 'unix:///c.sock' });
    const env = { DOCKER_HOST: 'unix:///env.sock' };
    const ep = resolveEndpoint({ choice: { kind: 'context', name: 'colima' }, setting: 'unix:///setting.sock', env, home });
    assert.equal(ep.socketPath, '/c.sock');
    assert.equal(ep.chosen, true);
    assert.equal(ep.contextName, 'colima');
    assert.match(ep.description, /context "colima".*chosen in Dockwise/);
    assert.equal(resolveEndpoint({ choice: { kind: 'context', name: 'gone' }, setting: 'unix:///setting.sock', env, home }).socketPath, '/setting.sock');
    assert.equal(resolveEndpoint({ choice: { kind: 'context', name: 'default' }, env, home, platform: 'linux' }).socketPath, '/var/run/docker.sock');
    assert.equal(resolveEndpoint({ choice: { kind: 'host', host: 'unix:///typed.sock' }, env, home }).socketPath, '/typed.sock');
  });

  it('reads a remembered choice defensively', () => {
    assert.deepEqual(parseChoice({ kind: 'context', name: 'x' }), { kind: 'context', name: 'x' });
    assert.equal(parseChoice({ kind: 'context' }), undefined);
    assert.equal(parseChoice('garbage'), undefined);
    assert.deepEqual(parseChoice({ kind: 'env', extra: 1 }), { kind: 'env' });
  });
});

function parseHostEndpoint(host: string) {
  return { ...parseHost(host), source: 'setting' as const, description: host };
}
