/**
 * What each Dockerfile instruction does, whether it adds a filesystem layer or only changes the image's
 * configuration, and what makes the build cache miss on it: the facts the course teaches, shown on hover.
 */
export interface InstructionFact {
  summary: string;
  /** `layer`: adds a filesystem layer; `metadata`: only the image config (an empty layer in `docker history`). */
  makes: 'layer' | 'metadata' | 'stage' | 'nothing';
  cache: string;
  lesson?: string;
}

const META_CACHE = 'Cached as long as the instruction text and everything above it are unchanged; it only changes the image config, so it is cheap either way.';

export const INSTRUCTION_FACTS: Record<string, InstructionFact> = {
  FROM: {
    summary: 'Starts a build stage from a base image (or `scratch`, or an earlier stage). Everything after it builds on top of that image\'s layers.',
    makes: 'stage',
    cache: 'A new digest behind the same tag (a floating tag such as `latest`) invalidates every step of the stage.',
    lesson: 'dockwise.todoApp#layers',
  },
  RUN: {
    summary: 'Runs a command in a temporary container and saves what it changed in the filesystem as a new layer.',
    makes: 'layer',
    cache: 'The cache key is the command text (and the layers below): the same text is reused even if the packages it would download changed. Chain related commands, and clean caches in the same RUN, or the deleted files stay in the layer below.',
    lesson: 'dockwise.todoApp#layers',
  },
  COPY: {
    summary: 'Copies files from the build context (or `--from` a stage or image) into the image.',
    makes: 'layer',
    cache: 'The cache key includes a checksum of every file copied: any change to them rebuilds this and every later step. Copy dependency manifests first and the rest of the source after installing dependencies.',
    lesson: 'dockwise.todoApp#dockerfile',
  },
  ADD: {
    summary: 'Like COPY, but also fetches URLs and unpacks local tar archives. Prefer COPY unless you need that.',
    makes: 'layer',
    cache: 'The cache key includes the files\' checksums; for a URL, the remote file\'s content is checked on every build.',
    lesson: 'dockwise.todoApp#dockerfile',
  },
  CMD: {
    summary: 'The default command (or default arguments to ENTRYPOINT) when a container starts. Only the last CMD counts. The exec form `["prog", "arg"]` runs without a shell, so the program gets signals such as SIGTERM.',
    makes: 'metadata',
    cache: META_CACHE,
    lesson: 'dockwise.todoApp#dockerfile',
  },
  ENTRYPOINT: {
    summary: 'The program a container always runs; CMD and `docker run` arguments are appended to it. Only the last ENTRYPOINT counts.',
    makes: 'metadata',
    cache: META_CACHE,
    lesson: 'dockwise.todoApp#dockerfile',
  },
  ENV: { summary: 'Sets environment variables for later instructions and for containers started from the image. Values stay visible in `docker inspect`: never put secrets here.', makes: 'metadata', cache: META_CACHE },
  ARG: { summary: 'Declares a build-time variable (`--build-arg`). Before the first FROM it can be used in FROM lines; inside a stage, from its declaration on. Visible in the image history: never pass secrets this way.', makes: 'metadata', cache: 'A changed value invalidates the first instruction that uses it and everything after.' },
  WORKDIR: { summary: 'Sets the working directory for later instructions and for the container, creating it if needed. Use an absolute path.', makes: 'metadata', cache: META_CACHE },
  USER: { summary: 'Sets the user (and group) later RUN instructions and the container run as. Ending the final stage on a non-root user limits what a compromised process can do.', makes: 'metadata', cache: META_CACHE, lesson: 'dockwise.todoApp#security' },
  EXPOSE: { summary: 'Documents the port the app listens on. It publishes nothing: `docker run -p` or compose `ports:` does that.', makes: 'metadata', cache: META_CACHE, lesson: 'dockwise.todoApp#networking' },
  VOLUME: { summary: 'Marks a path as a mount point: each container gets an anonymous volume there unless one is mounted. Changes to that path by later build steps are discarded.', makes: 'metadata', cache: META_CACHE, lesson: 'dockwise.todoApp#storage' },
  HEALTHCHECK: { summary: 'A command Docker runs inside the container to tell whether the app answers, not just whether its process exists. `HEALTHCHECK NONE` turns off one inherited from the base image.', makes: 'metadata', cache: META_CACHE, lesson: 'dockwise.todoApp#security' },
  LABEL: { summary: 'Adds key/value metadata to the image (version, source, licence, maintainer).', makes: 'metadata', cache: META_CACHE },
  SHELL: { summary: 'Changes the shell used by the shell form of RUN, CMD and ENTRYPOINT, for example to bash with `-o pipefail`.', makes: 'metadata', cache: META_CACHE },
  STOPSIGNAL: { summary: 'The signal `docker stop` sends to ask the container to exit.', makes: 'metadata', cache: META_CACHE },
  ONBUILD: { summary: 'An instruction stored in the image and run later, when another Dockerfile builds FROM this image.', makes: 'metadata', cache: META_CACHE },
  MAINTAINER: { summary: 'Deprecated: use `LABEL org.opencontainers.image.authors="…"` instead.', makes: 'metadata', cache: META_CACHE },
};

export const MAKES_TEXT: Record<InstructionFact['makes'], string> = {
  layer: 'Adds a filesystem layer.',
  metadata: 'Changes only the image configuration: no filesystem layer (an empty step in `docker history`).',
  stage: 'Starts a new stage: the base image\'s layers come first.',
  nothing: '',
};
