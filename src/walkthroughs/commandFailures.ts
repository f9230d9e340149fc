/**
 * What went wrong when a `docker` command of the course failed in a terminal, from its command line, exit code and
 * output (VS Code's terminal shell integration hands them over), and what to try. Some failures never reach the
 * daemon (no compose plugin, an image that cannot be pulled, a build that failed), so this is the only place they show.
 * No `vscode` import.
 */
import type { OutcomeId } from './outcomes';

export type FailureKind =
  | 'composeMissing'
  | 'portInUse'
  | 'pullFailed'
  | 'pushFailed'
  | 'buildFailed'
  | 'nameInUse'
  | 'daemonDown'
  | 'noSuchContainer'
  | 'permissionDenied'
  | 'alreadyExists'
  | 'other';

export interface CommandFailure {
  kind: FailureKind;
  summary: string;
  hint: string;
  /** The hands-on outcome the command works towards, when it is recognisable. */
  outcome?: OutcomeId;
  /** The output's last lines, for the log. */
  lines: string[];
}

/** Longest output read; the end is what explains a failure. */
export const MAX_OUTPUT = 64 * 1024;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export const stripAnsi = (s: string): string => s.replace(ANSI, '').replace(/\r(?!\n)/g, '\n');

/** A command line that runs Docker (`docker …`, `sudo docker …`, `docker-compose …`). */
export function isDockerCommand(commandLine: string): boolean {
  return /^\s*(sudo\s+)?(docker|docker-compose|podman)(\s|$)/.test(commandLine);
}

/** Which hands-on outcome a command works towards. */
export function outcomeOfCommand(commandLine: string): OutcomeId | undefined {
  const c = commandLine;
  if (/\bcompose\b|docker-compose/.test(c)) return 'composeHealthy';
  if (/\b(push|tag)\b|\bregistry\b/.test(c)) return 'imagePushed';
  if (/\bcon_[12]\b/.test(c)) return 'ephemeralDemo';
  if (/\bmyfile\.txt\b|:\/src\b/.test(c)) return 'bindMountFile';
  if (/\bmysql\b|MYSQL_HOST|\bnetwork\b/i.test(c)) return 'appReachesMysql';
  if (/\btodo-db\b|\bvolume\b/.test(c)) return 'volumePersists';
  if (/\btodo-app\b|\bbuild\b/.test(c)) return 'imageRuns';
  return undefined;
}

/** Undefined for a command that succeeded or is not Docker's. */
export function diagnoseCommand(commandLine: string, exitCode: number | undefined, rawOutput: string): CommandFailure | undefined {
  if (!isDockerCommand(commandLine) || exitCode === 0 || exitCode === undefined) return undefined;
  // Ctrl+C on a foreground command (logs -f, an interactive shell) is the learner's choice, not a failure.
  if (exitCode === 130) return undefined;
  const output = stripAnsi(rawOutput.slice(-MAX_OUTPUT));
  // The storage demo's second container is meant to fail: not finding the file is the lesson.
  if (/--name\s+con_2\b/.test(commandLine) && exitCode === 1 && /no such file|can't stat|cannot stat/i.test(output)) return undefined;
  const lines = output.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim()).slice(-12);
  const outcome = outcomeOfCommand(commandLine);
  const base = { outcome, lines };
  const compose = /\bcompose\b/.test(commandLine) && !/docker-compose/.test(commandLine);

  if (/Cannot connect to the Docker daemon|error during connect|permission denied while trying to connect to the Docker daemon/i.test(output)) {
    const perm = /permission denied/i.test(output);
    return {
      ...base,
      kind: 'daemonDown',
      summary: perm ? 'Your user may not talk to the Docker daemon.' : 'The Docker daemon is not answering.',
      hint: perm
        ? 'Add yourself to the docker group (sudo usermod -aG docker $USER), log out and in again, then rerun the command.'
        : 'Start Docker (Docker Desktop, or sudo systemctl start docker), check it with docker version, then rerun the command.',
    };
  }
  if ((compose && /is not a docker command|unknown command|unknown shorthand flag|unknown flag/i.test(output)) || (/docker-compose/.test(commandLine) && exitCode === 127)) {
    return {
      ...base,
      kind: 'composeMissing',
      summary: compose ? 'This Docker has no compose plugin, so "docker compose" is not a command.' : 'docker-compose is not installed.',
      hint: 'Docker Desktop includes Compose. On Linux install Docker\'s docker-compose-plugin package and check with docker compose version; an older standalone docker-compose works too (docker-compose up -d).',
    };
  }
  const name = /Conflict\. The container name "\/?([^"]+)" is already in use/i.exec(output);
  if (name) {
    return {
      ...base,
      kind: 'nameInUse',
      summary: `A container named ${name[1]} already exists, perhaps from an earlier try.`,
      hint: `Remove it with docker rm -f ${name[1]}, then run the command again.`,
    };
  }
  if (/port is already allocated|address already in use|ports are not available/i.test(output)) {
    const port = /(?:0\.0\.0\.0|127\.0\.0\.1|\[::\]|::):(\d+)/.exec(output)?.[1] ?? /-p\s+(?:[\d.]+:)?(\d+):/.exec(commandLine)?.[1];
    return {
      ...base,
      kind: 'portInUse',
      summary: `Port ${port ?? ''} on your machine is already in use.`.replace('Port  ', 'The port '),
      hint: `docker ps shows whether a container publishes it (stop or remove that one); otherwise publish another host port, such as -p 3001:3000. Remove the container that could not start first (docker rm).`,
    };
  }
  if (/\bpush\b/.test(commandLine)) {
    const notTagged = /An image does not exist locally with the tag: (\S+)/.exec(output);
    return {
      ...base,
      kind: 'pushFailed',
      summary: notTagged ? `There is no image tagged ${notTagged[1]} to push.` : 'The push did not reach the registry.',
      hint: notTagged
        ? `Tag it first: docker tag todo-app:1.0 ${notTagged[1]}`
        : /connection refused|no such host|dial tcp/i.test(output)
          ? 'Is the registry running? docker ps should list it with port 5000 published; start it with docker run -d --name registry -p 5000:5000 registry:2.'
          : 'Check the registry address in the tag; a registry other than localhost needs docker login first.',
    };
  }
  if (/permission denied|operation not permitted|read-only file system/i.test(output) && /\b(exec|run)\b/.test(commandLine)) {
    return {
      ...base,
      kind: 'permissionDenied',
      summary: 'The container may not write there.',
      hint: 'A container runs as the image\'s USER (the todo app as node, uid 1000); a bind-mounted folder keeps its owner on the host. Make the folder writable for that user, or run the command as root for this exercise: docker exec -u root …',
    };
  }
  if (/pull access denied|manifest unknown|manifest for \S+ not found|repository does not exist|failed to resolve reference|toomanyrequests|no such host|TLS handshake timeout|i\/o timeout|dial tcp|net\/http: request canceled|Unable to find image/i.test(output)
    && !/returned a non-zero code|failed to solve: process/.test(output)) {
    const image = /Unable to find image '([^']+)'/.exec(output)?.[1] ?? /pull access denied for ([^\s,]+)/.exec(output)?.[1] ?? /manifest for (\S+) not found/.exec(output)?.[1];
    const network = /no such host|TLS handshake timeout|i\/o timeout|dial tcp|request canceled|connection refused/i.test(output);
    const rate = /toomanyrequests/i.test(output);
    return {
      ...base,
      kind: 'pullFailed',
      summary: `Docker could not download the image${image ? ` ${image}` : ''}.`,
      hint: rate
        ? 'The registry limits anonymous pulls: docker login, or wait a while, then retry.'
        : network
          ? 'Docker cannot reach the registry: check your internet connection or proxy settings (Docker Desktop: Settings → Resources → Proxies), then retry.'
          : 'Check the image name and tag for typos (a private image needs docker login first), then retry.',
    };
  }
  if (/\bbuild\b/.test(commandLine) && /returned a non-zero code|failed to solve|executor failed running|failed to compute cache key|COPY failed|ADD failed|failed to read dockerfile|Dockerfile parse error|unable to prepare context|ERROR \[/i.test(output)) {
    const classic = [...output.matchAll(/^Step \d+\/\d+ : (.+)$/gm)].at(-1)?.[1];
    const kit = /ERROR \[[^\]]*\] (.+)$/m.exec(output)?.[1];
    const step = (kit ?? classic)?.trim().slice(0, 120);
    return {
      ...base,
      kind: 'buildFailed',
      summary: step ? `The build failed at: ${step}` : 'The build failed.',
      hint: /failed to read dockerfile|unable to prepare context|no such file/i.test(output) && !step
        ? 'Run the build in the sample folder (the one with the Dockerfile), with the "." at the end.'
        : 'The lines just above the error say why; fix that line of the Dockerfile (Dockwise underlines what it knows about), save, and build again.',
    };
  }
  const missing = /No such container:\s*(\S+)/i.exec(output);
  if (missing) {
    return { ...base, kind: 'noSuchContainer', summary: `There is no container ${missing[1]}.`, hint: 'docker ps -a lists the containers and their names; start the one the step asks for first.' };
  }
  if (/already exists/i.test(output) && /\b(network|volume) create\b/.test(commandLine)) {
    return { ...base, kind: 'alreadyExists', summary: 'It exists already, from an earlier try.', hint: 'Nothing to do: carry on with the next command.' };
  }
  return {
    ...base,
    kind: 'other',
    summary: `${commandLine.trim().split(/\s+/).slice(0, 3).join(' ')} failed (exit code ${exitCode}).`,
    hint: lines.length ? `Its last line says: ${lines.at(-1)}` : 'Read its output in the terminal.',
  };
}

/** Commands that keep the terminal busy until the learner leaves them. */
export function isInteractive(command: string): boolean {
  return /\s-(it|ti)\s|\s-i\s+-t\s|\slogs\s+(-f|--follow)\b|\sstats(?!.*--no-stream)|\sattach\s|\scompose\s+(up)(?!.*\s-d\b)|\s(up)\s*$/.test(` ${command} `);
}
