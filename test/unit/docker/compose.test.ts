import * as assert from 'node:assert/strict';
import { composeArgs, composeProjects, displayCommand, projectFiles } from '../../../src/docker/compose';
import { dockerCliEnv, parseHost } from '../../../src/docker/connection';
import { isReference, parsePorts, shapeContainers } from '../../../src/docker/model';

describe('compose from the explorer', () => {
  it('builds argument lists that keep paths whole, and shows them quoted the way a shell would need', () => {
    const file = "/w/it's $(touch pwned) demo/compose.yaml";
    const args = composeArgs('up', { files: [file] });
    assert.deepEqual(args, ['-f', file, 'up', '-d']);
    assert.equal(displayCommand('docker', ['compose', ...args]), `docker compose -f '/w/it'\\''s $(touch pwned) demo/compose.yaml' up -d`);
    assert.deepEqual(composeArgs('logs', { files: [], projectName: 'shop' }), ['-p', 'shop', 'logs', '-f', '--tail', '200']);
    assert.deepEqual(composeArgs('down', { files: ['a.yaml', 'b.yaml'], projectName: 'p', projectDir: '/w' }), ['-p', 'p', '--project-directory', '/w', '-f', 'a.yaml', '-f', 'b.yaml', 'down']);
  });

  it('groups containers by the project label and finds the files compose recorded', () => {
    const labels = (project: string, service: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.project.working_dir': '/srv/shop', 'com.docker.compose.project.config_files': 'compose.yaml,/etc/extra.yaml' });
    const containers = shapeContainers([
      { Id: 'a', Names: ['/shop-web-1'], Image: 'x', ImageID: 'i', Created: 1, State: 'running', Status: 'Up', Labels: labels('shop', 'web') },
      { Id: 'b', Names: ['/shop-db-1'], Image: 'x', ImageID: 'i', Created: 2, State: 'exited', Status: 'Exited', Labels: labels('shop', 'db') },
      { Id: 'c', Names: ['/loose'], Image: 'x', ImageID: 'i', Created: 3, State: 'running', Status: 'Up' },
    ]);
    const [shop, ...rest] = composeProjects(containers);
    assert.equal(rest.length, 0, 'a container of no project is no project');
    assert.deepEqual([shop.name, shop.running, shop.containers.map((c) => c.compose?.service)], ['shop', 1, ['web', 'db']]);
    assert.deepEqual(projectFiles(shop), ['/srv/shop/compose.yaml', '/etc/extra.yaml']);
  });

  it('points the CLI at the explorer\'s daemon, whatever the shell says', () => {
    assert.deepEqual(dockerCliEnv({ ...parseHost('unix:///run/x.sock'), source: 'chosen', description: '' }), { DOCKER_HOST: 'unix:///run/x.sock', DOCKER_CONTEXT: '', DOCKER_TLS_VERIFY: '', DOCKER_TLS: '', DOCKER_CERT_PATH: '' });
    assert.deepEqual(dockerCliEnv({ ...parseHost('tcp://h:2376'), tls: { certPath: '/c', verify: true, from: 'env' }, source: 'env', description: '' }), { DOCKER_HOST: 'tcp://h:2376', DOCKER_CONTEXT: '', DOCKER_TLS_VERIFY: '1', DOCKER_TLS: '', DOCKER_CERT_PATH: '/c' });
    assert.deepEqual(dockerCliEnv({ ...parseHost('ssh://me@box'), source: 'context', contextName: 'box', description: '' }).DOCKER_CONTEXT, 'box');
  });
});

describe('what Run and Tag accept', () => {
  it('reads port lists as docker run -p does', () => {
    assert.deepEqual(parsePorts('8080:80, 443/tcp,53:53/udp'), [
      { host: 8080, container: 80, protocol: 'tcp' },
      { host: undefined, container: 443, protocol: 'tcp' },
      { host: 53, container: 53, protocol: 'udp' },
    ]);
    assert.deepEqual(parsePorts(''), []);
    for (const bad of ['80:', 'x', '0', '70000', '1:2:3', '80/sctp']) assert.equal(parsePorts(bad), undefined, bad);
  });

  it('knows an image reference from anything else', () => {
    for (const ok of ['nginx', 'nginx:1.27-alpine', 'team/app:1.2', '127.0.0.1:5000/dockwise/busybox:pushed', 'registry.example.com/a/b/c']) assert.ok(isReference(ok), ok);
    for (const bad of ['', 'Upper:tag', 'team/App', 'a b', 'x:', 'x::y', 'nginx:-bad', `x:${'a'.repeat(200)}`]) assert.ok(!isReference(bad), bad);
  });
});
