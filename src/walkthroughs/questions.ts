/**
 * The checkpoint questions the agenda asks its audience ("small reward" / "medium reward"), as data. How answers are
 * taken and scored is in checkpoints.ts. No `vscode` import.
 */
import type { StepKey } from './course';

export type Reward = 'small' | 'medium';

export const POINTS: Readonly<Record<Reward, number>> = { small: 1, medium: 3 };

interface QuestionBase {
  id: string;
  /** The step it belongs to; answering completes that step. */
  step: StepKey;
  prompt: string;
  reward: Reward;
  /** Shown after any attempt, right or wrong. */
  explanation: string;
  /** The agenda marks it optional. */
  optional?: boolean;
}

export interface ChoiceQuestion extends QuestionBase {
  kind: 'choice';
  options: readonly string[];
  /** Index into options. */
  correct: number;
}

export interface KeyIdea {
  /** Shown to the learner, who says whether their answer had it. */
  label: string;
}

/**
 * A question answered in the learner's own words. Nothing grades the words: after answering, the learner sees the
 * explanation (the model answer) and its key ideas, and ticks the ideas their answer had.
 */
export interface ShortQuestion extends QuestionBase {
  kind: 'short';
  ideas: readonly KeyIdea[];
  /** How many ideas make a full answer (full points). */
  need: number;
  placeholder?: string;
}

export type Question = ChoiceQuestion | ShortQuestion;

export const QUESTIONS: readonly Question[] = [
  {
    id: 'projectProblems',
    step: 'todoApp.project',
    kind: 'short',
    reward: 'small',
    prompt: 'Several developers start on the todo app (an app and a database). What problems can you expect?',
    placeholder: 'e.g. everyone has a different…',
    ideas: [
      { label: 'Everyone develops on a different environment (Windows, macOS, Linux, other versions)' },
      { label: 'Setting the environment up by hand is slow and error-prone' },
      { label: '"It works on my machine": it runs for one person and fails for another' },
    ],
    need: 1,
    explanation:
      'Different machines (Windows, macOS, Linux, other versions of Node or PostgreSQL), a manual setup that is slow and easy to get wrong, and the famous "it works on my machine".',
  },
  {
    id: 'whyDocker',
    step: 'todoApp.decision',
    kind: 'choice',
    reward: 'small',
    prompt: 'Why choose Docker containers for the todo app?',
    options: [
      'The app and everything it needs run the same way on every machine, and containers are light and start fast',
      'Code runs faster inside a container than directly on the host',
      'Each container brings its own kernel, so it is isolated like a virtual machine',
      'Docker makes the database unnecessary',
    ],
    correct: 0,
    explanation:
      'A container image carries the app with its runtime and libraries, so every developer and every server runs the same thing. Containers share the host kernel (no kernel of their own), which is why they are light and fast to start; they do not make code itself faster.',
  },
  {
    id: 'whyNotOther',
    step: 'todoApp.decision',
    kind: 'short',
    reward: 'medium',
    optional: true,
    prompt: 'Playing devil\'s advocate: why not something else, such as virtual machines or installing everything by hand?',
    ideas: [
      { label: 'VMs are heavy: a full guest OS each, slow to boot, more CPU, memory and disk' },
      { label: 'Manual installs drift apart and are hard to repeat' },
      { label: 'Docker is portable and has the ecosystem: registries, official images, compose, tooling' },
    ],
    need: 2,
    explanation:
      'Virtual machines each boot a whole guest OS, so they are heavy and slow to start; installing by hand is slow and drifts from machine to machine. Docker images are portable and come with an ecosystem: registries, official images, compose. VMs still win when you need a different kernel or full OS isolation.',
  },
  {
    id: 'alternatives',
    step: 'todoApp.decision',
    kind: 'short',
    reward: 'small',
    prompt: 'Is there an alternative to Docker? Name one.',
    ideas: [
      { label: 'Another container tool (Podman, containerd/nerdctl, LXC/LXD, CRI-O)' },
      { label: 'Virtual machines (with Vagrant, say) or reproducible environments such as Nix' },
    ],
    need: 1,
    explanation:
      'Yes: Podman, containerd with nerdctl, LXC/LXD and CRI-O run the same OCI images; virtual machines (Vagrant) or Nix solve the "same environment" problem differently. Docker stays the most common way to build and share images.',
  },
  {
    id: 'cmdVsEntrypoint',
    step: 'todoApp.cmdEntrypoint',
    kind: 'choice',
    reward: 'medium',
    prompt: 'What is the difference between CMD and ENTRYPOINT?',
    options: [
      'ENTRYPOINT is the program that always runs; CMD is the default command or default arguments, replaced by whatever you add after the image in `docker run`',
      'CMD runs while the image is built, ENTRYPOINT when the container starts',
      'They are the same; ENTRYPOINT is the old name of CMD',
      'CMD always runs as root, ENTRYPOINT as the USER of the image',
    ],
    correct: 0,
    explanation:
      'Neither runs at build time. With `ENTRYPOINT ["node"]` and `CMD ["src/server.js"]`, `docker run todo-app:1.0` runs `node src/server.js` and `docker run todo-app:1.0 --version` runs `node --version`: the arguments replace CMD, not ENTRYPOINT (`--entrypoint` replaces that). Prefer the exec (JSON) form so the app gets signals directly.',
  },
  {
    id: 'whyFileMissing',
    step: 'todoApp.ephemeral',
    kind: 'choice',
    reward: 'small',
    prompt: 'con_1 created greeting.txt, yet con_2 says "No such file or directory". Why?',
    options: [
      'Each container has its own writable layer on top of the image; the file lived in con_1\'s layer, which went away with con_1',
      'touch failed because images are read-only',
      'The file was written to the host\'s current folder instead',
      'con_2 started before con_1 had finished',
    ],
    correct: 0,
    explanation:
      'Both containers start from the same read-only image, and each gets a fresh writable layer. con_1 wrote greeting.txt into its own layer; `--rm` removed the container and that layer with it. con_2 never saw it. Data that must outlive a container belongs in a volume.',
  },
  {
    id: 'volumeVsBind',
    step: 'todoApp.storage',
    kind: 'choice',
    reward: 'medium',
    prompt: 'What is the difference between a volume mount and a bind mount?',
    options: [
      'Docker creates and manages a volume in its own storage area and you use it by name; a bind mount maps a host path you choose into the container',
      'Bind mounts survive removing the container, volumes do not',
      'Volumes live in memory, bind mounts on disk',
      'Only bind mounts can be shared between containers',
    ],
    correct: 0,
    explanation:
      'Both outlive the container. A volume (`-v todo-data:/var/lib/postgresql/data`) is created and managed by Docker, works the same on every OS and is the right home for a database. A bind mount (`-v "$PWD":/src`) shows a host folder inside the container: ideal for source code while developing. tmpfs is the one that lives in memory.',
  },
  {
    id: 'perfFactors',
    step: 'todoApp.performance',
    kind: 'short',
    reward: 'medium',
    prompt: 'What factors affect the performance of a containerized app?',
    ideas: [
      { label: 'Image size' },
      { label: 'Number of layers' },
      { label: 'Resource limits (CPU, memory)' },
      { label: 'Network performance' },
      { label: 'Storage performance' },
    ],
    need: 2,
    explanation:
      'Image size (pull and start time), the number of layers, the CPU and memory a container may use, and the network and storage drivers underneath.',
  },
  {
    id: 'perfSolutions',
    step: 'todoApp.performance',
    kind: 'short',
    reward: 'medium',
    prompt: 'So, what can be a solution?',
    ideas: [
      { label: 'Multi-stage builds' },
      { label: 'A smaller base image' },
      { label: 'Order the Dockerfile for the layer cache' },
      { label: 'Limit CPU and memory' },
      { label: 'Fitting network and storage drivers' },
    ],
    need: 2,
    explanation:
      'Multi-stage builds and smaller base images shrink the image; ordering instructions for the build cache speeds up builds; `--cpus` / `--memory` (or compose `deploy.resources`) stop one container from starving the rest; and pick network and storage drivers that fit the job (volumes for heavy I/O).',
  },
  {
    id: 'problemsFaced',
    step: 'todoApp.troubleshooting',
    kind: 'short',
    reward: 'medium',
    prompt: 'What problems have you met, or may you meet, when running containers?',
    ideas: [
      { label: 'A container that will not start or keeps exiting' },
      { label: 'Network problems (ports, names, reachability)' },
      { label: 'Volume problems (permissions, missing data)' },
      { label: 'Performance problems (slow, out of memory, disk full)' },
    ],
    need: 2,
    explanation:
      'The usual four: a container that does not start or keeps restarting, network issues (wrong port, a name that does not resolve, no shared network), volume issues (permissions, data in the wrong place) and performance issues (out of memory, a full disk, CPU starvation).',
  },
  {
    id: 'howTroubleshoot',
    step: 'todoApp.troubleshooting',
    kind: 'short',
    reward: 'medium',
    prompt: 'How do you troubleshoot a misbehaving container?',
    ideas: [
      { label: '`docker logs`' },
      { label: '`docker exec` for a shell inside' },
      { label: '`docker stats` for CPU and memory' },
      { label: '`docker inspect` and events' },
      { label: 'Monitoring (Prometheus, Grafana)' },
      { label: 'Health checks' },
    ],
    need: 2,
    explanation:
      '`docker logs` shows what the app printed; `docker exec -it <name> sh` opens a shell inside; `docker stats` shows live CPU and memory; `docker inspect` shows the configuration, state and exit code. In production add monitoring (Prometheus, Grafana) and a HEALTHCHECK so Docker knows when the app is stuck.',
  },
  {
    id: 'mostImportant',
    step: 'wrapUp.lessonsLearned',
    kind: 'short',
    reward: 'small',
    prompt: 'Personally, what is the most important thing you learned?',
    ideas: [
      { label: 'Docker gives the same environment everywhere: no more "works on my machine"' },
      { label: 'Images, containers, networks and volumes are the building blocks' },
      { label: 'Compose manages multi-container apps' },
      { label: 'Security and optimization matter in production' },
    ],
    need: 1,
    explanation:
      'Any of these is a good answer: consistent environments end "works on my machine"; images, containers, networks and volumes are the building blocks; compose runs multi-container apps; security and optimization are part of going to production.',
  },
];
