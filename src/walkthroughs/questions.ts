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
    prompt: 'What are the possible problems when we start developing this app (the logic and a database) as a team?',
    placeholder: 'e.g. everyone has a different…',
    ideas: [
      { label: 'Developers use different environments (Windows, macOS, Linux, other versions)' },
      { label: 'Setting up the environment by hand is time-consuming and error-prone' },
      { label: '"It works on my machine": it runs for one person and fails for another' },
    ],
    need: 1,
    explanation:
      'Each developer has a different environment: Windows, macOS or Linux, another Node.js, another database version. Setting all of it up by hand takes time and goes wrong in small ways. So the app works on one machine and fails on the next: the famous "it works on my machine".',
  },
  {
    id: 'whyDocker',
    step: 'todoApp.decision',
    kind: 'choice',
    reward: 'small',
    prompt: 'Agree: why choose Docker containers for the todo app?',
    options: [
      'Code always runs faster inside a container than on the host, so the app gets quicker',
      'Each container brings its own kernel, so it is isolated as strongly as a virtual machine',
      'Everyone runs the same image of the app and its dependencies, and containers start fast',
      'Containers replace the database: the todo items are kept inside the image itself',
    ],
    correct: 2,
    explanation:
      'An image carries the app with its runtime and libraries, so every developer and every server runs the same thing. Containers share the host\'s kernel (none of their own), which is why they are light and start fast; they do not make code itself faster, and data still needs a database and a volume.',
  },
  {
    id: 'whyNotOther',
    step: 'todoApp.decision',
    kind: 'short',
    reward: 'medium',
    optional: true,
    prompt: 'Disagree: why not use something else, such as virtual machines or installing everything by hand?',
    ideas: [
      { label: 'VMs are heavy: a full guest OS each, slow to boot, more CPU, memory and disk' },
      { label: 'Manual installs drift apart between machines and are hard to repeat' },
      { label: 'Docker is portable and has the ecosystem: registries, official images, compose, tooling' },
    ],
    need: 2,
    explanation:
      'Virtual machines each boot a whole guest operating system, so they are heavy and slow to start, and every one needs patching. Installing by hand is slow and drifts from machine to machine. Docker images are portable and come with an ecosystem: registries, official images, compose. VMs still win when you need another kernel or the strongest isolation.',
  },
  {
    id: 'alternatives',
    step: 'todoApp.decision',
    kind: 'short',
    reward: 'small',
    prompt: 'Is there any alternative to Docker? Name one.',
    ideas: [
      { label: 'Another container tool (Podman, containerd with nerdctl, LXC/LXD, CRI-O)' },
      { label: 'Virtual machines (with Vagrant, say) or reproducible environments such as Nix' },
    ],
    need: 1,
    explanation:
      'Yes: Podman, containerd with nerdctl, LXC/LXD and CRI-O run containers too, and most of them the same OCI images. Virtual machines (with Vagrant) or Nix solve the "same environment" problem in other ways. Docker stays the most common way to build and share images.',
  },
  {
    id: 'cmdVsEntrypoint',
    step: 'todoApp.cmdEntrypoint',
    kind: 'choice',
    reward: 'medium',
    prompt: 'Who can explain the difference between CMD and ENTRYPOINT?',
    options: [
      'CMD runs while the image is being built, and ENTRYPOINT runs when a container starts from it',
      'ENTRYPOINT is the program that always runs; CMD gives defaults that docker run arguments replace',
      'They are the same instruction: ENTRYPOINT is only the older name that CMD has replaced',
      'CMD always runs as root, while ENTRYPOINT runs as the user that the USER instruction set',
    ],
    correct: 1,
    explanation:
      'Neither runs at build time (that is RUN). With ENTRYPOINT ["node"] and CMD ["src/server.js"], `docker run todo-app:1.0` runs `node src/server.js` and `docker run todo-app:1.0 --version` runs `node --version`: arguments replace CMD, not ENTRYPOINT (`--entrypoint` replaces that). Prefer the exec (JSON) form so the app gets signals directly.',
  },
  {
    id: 'whyFileMissing',
    step: 'todoApp.ephemeral',
    kind: 'choice',
    reward: 'small',
    prompt: 'con_1 created greeting.txt, yet con_2 says "No such file or directory". Why?',
    options: [
      'touch failed without an error, because an image\'s layers are read-only for containers',
      'The file went to the current folder on the host, where con_2 does not look for it',
      'con_2 started before con_1 had finished writing, so the file did not exist yet',
      'Each container has its own writable layer; con_1\'s file went away with that layer',
    ],
    correct: 3,
    explanation:
      'Both containers start from the same read-only image, and each gets a fresh writable layer of its own. con_1 wrote greeting.txt into its layer, and `--rm` removed the container and that layer with it; con_2 never saw it. Data that must outlive a container belongs in a volume.',
  },
  {
    id: 'volumeVsBind',
    step: 'todoApp.storage',
    kind: 'choice',
    reward: 'medium',
    prompt: 'Who can explain the difference between volume mounts and bind mounts?',
    options: [
      'A bind mount outlives the container, but a volume is deleted together with its container',
      'Docker creates and manages a volume, used by its name; a bind mount maps a host path you choose',
      'A volume is kept in the host\'s memory, while a bind mount is always written to the disk',
      'Only bind mounts can be shared by containers; a volume belongs to a single container',
    ],
    correct: 1,
    explanation:
      'Both outlive the container. A volume (`-v todo-db:/etc/todos`) is created and managed by Docker in its own storage area, works the same on every OS and is the right home for a database. A bind mount (`-v "$(pwd):/src"`) shows a folder of the host inside the container: ideal for source code while developing. tmpfs is the one that lives in memory.',
  },
  {
    id: 'perfFactors',
    step: 'todoApp.performance',
    kind: 'short',
    reward: 'medium',
    prompt: 'What factors affect Docker performance?',
    ideas: [
      { label: 'Image size' },
      { label: 'Number of layers' },
      { label: 'Resource limits (CPU, memory)' },
      { label: 'Network performance' },
      { label: 'Storage performance' },
    ],
    need: 3,
    explanation:
      'The image size decides how long pulls and starts take; the number and order of layers how much is stored, pulled and rebuilt. Resource limits decide whether a container can starve its neighbours or gets starved itself. And the network and storage drivers underneath, with where the data lives, set the speed of every request and every write.',
  },
  {
    id: 'perfSolutions',
    step: 'todoApp.performance',
    kind: 'short',
    reward: 'medium',
    prompt: 'So, what can be a solution?',
    ideas: [
      { label: 'Multi-stage builds (and a smaller base image)' },
      { label: 'Optimize layer caching: order the Dockerfile, chain RUNs' },
      { label: 'Limit resource usage (CPU, memory)' },
      { label: 'Use fitting network and storage drivers (volumes for heavy I/O)' },
    ],
    need: 2,
    explanation:
      'Multi-stage builds and slim base images shrink the image. Ordering the Dockerfile from least to most often changed, with chained RUNs, keeps the build cache working. `--cpus` and `--memory` (or compose `deploy.resources.limits`) stop one container from starving the rest. And fitting network and storage drivers, with volumes for heavy I/O, keep requests and writes fast.',
  },
  {
    id: 'problemsFaced',
    step: 'todoApp.troubleshooting',
    kind: 'short',
    reward: 'medium',
    prompt: 'What problems have you encountered, or may you face, when using Docker?',
    ideas: [
      { label: 'A container that does not start or keeps restarting' },
      { label: 'Network issues (ports, names that do not resolve, separate networks)' },
      { label: 'Volume issues (permissions, data in the wrong place)' },
      { label: 'Performance issues (slow, out of memory, a full disk)' },
    ],
    need: 2,
    explanation:
      'The usual four: a container that does not start or keeps restarting; network issues, such as a wrong or busy port, a name that does not resolve, or containers on different networks; volume issues, such as permissions or data written where no volume is; and performance issues, such as running out of memory, a full disk or CPU starvation.',
  },
  {
    id: 'howTroubleshoot',
    step: 'todoApp.troubleshooting',
    kind: 'short',
    reward: 'medium',
    prompt: 'How do you troubleshoot Docker issues?',
    ideas: [
      { label: '`docker logs` for what the app printed' },
      { label: '`docker exec` for a shell inside the container' },
      { label: '`docker stats` for live CPU and memory' },
      { label: '`docker inspect` and `docker events` for state and history' },
      { label: 'Health checks, and monitoring tools such as Prometheus and Grafana' },
    ],
    need: 2,
    explanation:
      'Start with `docker logs`: what the app printed is often the answer. `docker exec -it <name> sh` opens a shell inside to look around; `docker stats` shows live CPU and memory; `docker inspect` shows the configuration, state, exit code and health log. In production, health checks tell Docker when the app is stuck, and monitoring (Prometheus, Grafana) keeps the history.',
  },
  {
    id: 'mostImportant',
    step: 'wrapUp.lessonsLearned',
    kind: 'short',
    reward: 'small',
    prompt: 'Personally, what is the most important thing you learned today?',
    ideas: [
      { label: 'Docker gives the same environment everywhere: no more "works on my machine"' },
      { label: 'Images, containers, networks and volumes are the building blocks' },
      { label: 'Compose manages multi-container apps easily' },
      { label: 'Security and optimization are essential in production' },
    ],
    need: 1,
    explanation:
      'Any of these is a good answer. Docker ensures consistent environments, so "it works on my machine" is over; images, containers, networks and volumes are the building blocks; compose runs a multi-container app from one file; and security and optimization are part of going to production, not extras.',
  },
];
