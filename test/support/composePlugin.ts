/**
 * A Docker CLI plugin directory whose `compose` runs Debian's docker-compose, so a test types `docker compose …` as a
 * learner does, through the real `docker` CLI, on a machine that has no compose plugin. Test infrastructure only:
 * the course's files never know about it. Point DOCKER_CONFIG at the returned folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PLUGIN = `#!/bin/sh
# Docker CLI plugin protocol: answer the metadata call, then run with the plugin's own name dropped.
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"Debian","Version":"1.29","ShortDescription":"Docker Compose (docker-compose)"}'
  exit 0
fi
shift
exec docker-compose "$@"
`;

/** A fresh DOCKER_CONFIG folder with the compose plugin in it; the caller removes it. */
export function composePluginConfig(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockwise-docker-config-'));
  fs.mkdirSync(path.join(dir, 'cli-plugins'));
  fs.writeFileSync(path.join(dir, 'cli-plugins', 'docker-compose'), PLUGIN, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'config.json'), '{}\n');
  return dir;
}
