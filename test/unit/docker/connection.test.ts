import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDockerClient, EndpointError, parseHost, resolveEndpoint } from '../../../src/docker/connection';

const homes: string[] = [];

function fakeHome(contexts: Record<string, string>, current?: string): string {
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
    assert.deepEqual(ep.tls, { certPath: '/certs', verify: true });
    assert.match(ep.description, /^DOCKER_HOST \(tcp:\/\/docker\.example:2376\)$/);
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

function parseHostEndpoint(host: string) {
  return { ...parseHost(host), source: 'setting' as const, description: host };
}
