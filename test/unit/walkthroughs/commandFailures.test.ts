import * as assert from 'node:assert/strict';
import { diagnoseCommand, isDockerCommand, isInteractive, outcomeOfCommand, stripAnsi } from '../../../src/walkthroughs/commandFailures';

// Output as Docker 20.10–28 and Debian's docker-compose print it.
describe('failed course commands', () => {
  it('says nothing about commands that worked, were not Docker, or were stopped with Ctrl+C', () => {
    assert.equal(diagnoseCommand('docker build -t todo-app:1.0 .', 0, 'Successfully built abc'), undefined);
    assert.equal(diagnoseCommand('ls -la', 2, 'No such file'), undefined);
    assert.equal(diagnoseCommand('docker logs -f todo-web', 130, '^C'), undefined);
    assert.equal(diagnoseCommand('docker ps', undefined, ''), undefined);
    assert.equal(diagnoseCommand('docker run --rm --name con_2 alpine:3.21 stat greeting.txt', 1, "stat: can't stat 'greeting.txt': No such file or directory"), undefined, 'the demo\'s expected failure');
    assert.equal(diagnoseCommand('docker run --rm --name con_2 alpne stat greeting.txt', 125, "Unable to find image 'alpne:latest' locally\npull access denied for alpne")!.kind, 'pullFailed');
  });

  it('recognises a missing compose plugin, and a missing docker-compose', () => {
    for (const out of ['docker: \'compose\' is not a docker command.\nSee \'docker --help\'', 'unknown shorthand flag: \'d\' in -d\nSee \'docker --help\'.', 'docker: unknown command: docker compose\n\nRun \'docker --help\' for more information']) {
      const f = diagnoseCommand('docker compose up -d', 1, out)!;
      assert.equal(f.kind, 'composeMissing', out);
      assert.equal(f.outcome, 'composeHealthy');
      assert.match(f.hint, /docker-compose-plugin/);
    }
    assert.equal(diagnoseCommand('docker-compose up -d', 127, 'bash: docker-compose: command not found')!.kind, 'composeMissing');
  });

  it('recognises a port in use, naming the port', () => {
    const out = 'docker: Error response from daemon: driver failed programming external connectivity on endpoint todo-web (3f2a): Bind for 0.0.0.0:3000 failed: port is already allocated.';
    const f = diagnoseCommand('docker run -d --name todo-web -p 3000:3000 todo-app:1.0', 125, out)!;
    assert.equal(f.kind, 'portInUse');
    assert.match(f.summary, /Port 3000/);
    assert.match(f.hint, /-p 3001:3000/);
    assert.equal(f.outcome, 'imageRuns');
  });

  it('recognises an image that cannot be pulled, and says whether it is the name or the network', () => {
    const denied = diagnoseCommand('docker run --rm --name con_1 alpne touch greeting.txt', 125, "Unable to find image 'alpne:latest' locally\ndocker: Error response from daemon: pull access denied for alpne, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.")!;
    assert.equal(denied.kind, 'pullFailed');
    assert.match(denied.summary, /alpne:latest/);
    assert.match(denied.hint, /image name and tag/);
    assert.equal(denied.outcome, 'ephemeralDemo');
    const offline = diagnoseCommand('docker run -d mysql:8.4', 125, "Unable to find image 'mysql:8.4' locally\ndocker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: no such host.")!;
    assert.equal(offline.kind, 'pullFailed');
    assert.match(offline.hint, /internet connection/);
    const limited = diagnoseCommand('docker pull node:22', 1, 'toomanyrequests: You have reached your pull rate limit.')!;
    assert.match(limited.hint, /docker login/);
  });

  it('recognises a failed build and the step it failed at, classic builder and BuildKit', () => {
    const classic = 'Step 4/9 : RUN npm ci --omit=dev\n ---> Running in 0a1b\nnpm ERR! code ENOTFOUND\nThe command \'/bin/sh -c npm ci --omit=dev\' returned a non-zero code: 1';
    const f = diagnoseCommand('docker build -t todo-app:1.0 .', 1, classic)!;
    assert.equal(f.kind, 'buildFailed');
    assert.match(f.summary, /RUN npm ci --omit=dev/);
    const kit = '#8 [3/5] RUN npm ci\n#8 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1\n------\n > [3/5] RUN npm ci:\n------\nERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1';
    assert.equal(diagnoseCommand('docker build -t todo-app .', 1, kit)!.kind, 'buildFailed');
    const noContext = diagnoseCommand('docker build -t todo-app', 1, '"docker build" requires exactly 1 argument.');
    assert.equal(noContext!.kind, 'other');
    const noFile = diagnoseCommand('docker build -t todo-app .', 1, 'unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /home/me/Dockerfile: no such file or directory')!;
    assert.match(noFile.hint, /sample folder/);
  });

  it('recognises a push that could not reach the registry, or had nothing to push', () => {
    const refused = diagnoseCommand('docker push localhost:5000/todo-app:1.0', 1, 'The push refers to repository [localhost:5000/todo-app]\nGet "http://localhost:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused')!;
    assert.equal(refused.kind, 'pushFailed');
    assert.match(refused.hint, /Is the registry running\?/);
    assert.equal(refused.outcome, 'imagePushed');
    const untagged = diagnoseCommand('docker push localhost:5000/todo-app:1.0', 1, 'An image does not exist locally with the tag: localhost:5000/todo-app')!;
    assert.match(untagged.hint, /docker tag todo-app:1\.0 localhost:5000\/todo-app/);
  });

  it('recognises a container that may not write to a bind-mounted folder', () => {
    const f = diagnoseCommand('docker exec todo-dev touch /src/myfile.txt', 1, 'touch: cannot touch \'/src/myfile.txt\': Permission denied')!;
    assert.equal(f.kind, 'permissionDenied');
    assert.equal(f.outcome, 'bindMountFile');
    assert.match(f.hint, /uid 1000/);
  });

  it('recognises a name already in use: the usual trouble when running a step again', () => {
    const f = diagnoseCommand('docker run -d --name todo-web -p 3000:3000 todo-app:1.0', 125, 'docker: Error response from daemon: Conflict. The container name "/todo-web" is already in use by container "9f1e". You have to remove (or rename) that container to be able to reuse that name.')!;
    assert.equal(f.kind, 'nameInUse');
    assert.match(f.hint, /docker rm -f todo-web/);
  });

  it('recognises a daemon that is down or forbidden, a missing container, and things that exist already', () => {
    assert.equal(diagnoseCommand('docker ps', 1, 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')!.kind, 'daemonDown');
    assert.match(diagnoseCommand('docker ps', 1, 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock')!.hint, /docker group/);
    assert.equal(diagnoseCommand('docker exec -it todo-web sh', 1, 'Error response from daemon: No such container: todo-web')!.kind, 'noSuchContainer');
    assert.equal(diagnoseCommand('docker network create todo-app', 1, 'Error response from daemon: network with name todo-app already exists')!.kind, 'alreadyExists');
  });

  it('falls back to the last line, and reads output with terminal colours and carriage returns', () => {
    const f = diagnoseCommand('docker volume rm todo-db', 1, '\x1b[31mError response from daemon: remove todo-db: volume is in use - [abc]\x1b[0m\r\n')!;
    assert.equal(f.kind, 'other');
    assert.match(f.hint, /volume is in use/);
    assert.equal(stripAnsi('\x1b]633;C\x07a\x1b[1mb\x1b[0m\rc'), 'ab\nc');
  });

  it('reads only the end of a huge output, quickly', () => {
    const t = Date.now();
    const f = diagnoseCommand('docker build .', 1, 'x'.repeat(20_000_000) + '\nThe command \'/bin/sh -c false\' returned a non-zero code: 1');
    assert.ok(Date.now() - t < 1000);
    assert.equal(f!.kind, 'buildFailed');
  });

  it('knows docker command lines and the steps they belong to', () => {
    for (const c of ['docker ps', 'sudo docker run x', 'docker-compose up', '  docker']) assert.ok(isDockerCommand(c), c);
    for (const c of ['dockerd', 'echo docker', 'npm run docker']) assert.ok(!isDockerCommand(c), c);
    assert.equal(outcomeOfCommand('docker compose up -d'), 'composeHealthy');
    assert.equal(outcomeOfCommand('docker run --rm --name con_2 alpine stat greeting.txt'), 'ephemeralDemo');
    assert.equal(outcomeOfCommand('docker run -dp 3000:3000 -v todo-db:/etc/todos todo-app:1.0'), 'volumePersists');
    assert.equal(outcomeOfCommand('docker run -d -v "$(pwd):/src" todo-app:1.0'), 'bindMountFile');
    assert.equal(outcomeOfCommand('docker run -d --network todo-app --name mysql mysql:8.4'), 'appReachesMysql');
    assert.equal(outcomeOfCommand('docker build -t todo-app:1.0 .'), 'imageRuns');
    assert.equal(outcomeOfCommand('docker ps'), undefined);
  });

  it('knows which commands keep a terminal busy', () => {
    for (const c of ['docker exec -it todo-web sh', 'docker logs -f todo-web', 'docker stats', 'docker compose up', 'docker run -it alpine sh']) assert.ok(isInteractive(c), c);
    for (const c of ['docker stats --no-stream', 'docker compose up -d', 'docker build -t todo-app .', 'docker logs todo-web']) assert.ok(!isInteractive(c), c);
  });
});
