/**
 * The checkpoint questions: the ones the agenda asks its audience ("small reward" / "medium reward"), as data, and
 * the checking of answers. Multiple choice is checked by option; a short answer by the key ideas it mentions.
 * No `vscode` import.
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
  /** Shown to the learner: what the idea is. */
  label: string;
  /** Any of these in the answer (lower-cased, spaces collapsed) counts as the idea. */
  patterns: readonly RegExp[];
}

export interface ShortQuestion extends QuestionBase {
  kind: 'short';
  ideas: readonly KeyIdea[];
  /** How many distinct ideas make the answer right. */
  need: number;
  placeholder?: string;
}

export type Question = ChoiceQuestion | ShortQuestion;

export interface AnswerResult {
  /** Whether the answer is right (for choices) or has enough key ideas (for short answers). */
  correct: boolean;
  /** Key ideas the answer mentioned (short answers), in bank order. */
  found: string[];
  /** Key ideas it did not mention. */
  missed: string[];
  explanation: string;
}

/** Longer answers are cut here before checking: nobody types a checkpoint answer this long. */
export const MAX_ANSWER_CHARS = 2000;

export const QUESTIONS: readonly Question[] = [
  {
    id: 'projectProblems',
    step: 'todoApp.project',
    kind: 'short',
    reward: 'small',
    prompt: 'Several developers start on the todo app (an app and a database). What problems can you expect?',
    placeholder: 'e.g. everyone has a different…',
    ideas: [
      { label: 'Everyone develops on a different environment (Windows, macOS, Linux, other versions)', patterns: [/differ|windows|mac|linux|os\b|operating system|version|environment/] },
      { label: 'Setting the environment up by hand is slow and error-prone', patterns: [/manual|by hand|set ?up|install|configur|time.?consuming|error.?prone|slow|onboard/] },
      { label: '"It works on my machine": it runs for one person and fails for another', patterns: [/works? on my (machine|computer|laptop)|inconsisten|not the same|fails? (on|for) (other|another|their)/] },
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
      { label: 'VMs are heavy: a full guest OS each, slow to boot, more CPU, memory and disk', patterns: [/heavy|full os|guest os|whole os|own os|overhead|resource|slow to (start|boot)|boot|memory|disk/] },
      { label: 'Manual installs drift apart and are hard to repeat', patterns: [/manual|by hand|drift|repeat|reproduc|inconsisten|works? on my/] },
      { label: 'Docker is portable and has the ecosystem: registries, official images, compose, tooling', patterns: [/portab|registr|docker hub|official image|ecosystem|communit|standard|compose|tooling/] },
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
      {
        label: 'Another container tool (Podman, containerd/nerdctl, LXC/LXD, CRI-O)',
        patterns: [/podman|containerd|nerdctl|\blxc\b|\blxd\b|cri-?o|buildah|rancher|colima|orbstack|apptainer|singularity|\brkt\b|kata|firecracker/],
      },
      { label: 'Virtual machines (with Vagrant, say) or reproducible environments such as Nix', patterns: [/virtual machine|\bvms?\b|vagrant|virtualbox|hyper-?v|vmware|\bnix\b|devbox/] },
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
      { label: 'Image size', patterns: [/size|big|large|bloat|heavy image|small/] },
      { label: 'Number of layers', patterns: [/layer/] },
      { label: 'Resource limits (CPU, memory)', patterns: [/cpu|memory|\bram\b|resource|limit/] },
      { label: 'Network performance', patterns: [/network|latency|bandwidth/] },
      { label: 'Storage performance', patterns: [/storage|disk|i\/?o\b|volume|file ?system|driver/] },
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
      { label: 'Multi-stage builds', patterns: [/multi.?stage/] },
      { label: 'A smaller base image', patterns: [/slim|alpine|distroless|smaller|minimal|small base/] },
      { label: 'Order the Dockerfile for the layer cache', patterns: [/cach|order/] },
      { label: 'Limit CPU and memory', patterns: [/limit|cpu|memory|quota|reservation/] },
      { label: 'Fitting network and storage drivers', patterns: [/driver|overlay|network|storage|volume/] },
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
      { label: 'A container that will not start or keeps exiting', patterns: [/start|crash|exit|restart|boot|won'?t run|dies/] },
      { label: 'Network problems (ports, names, reachability)', patterns: [/network|port|dns|connect|reach|host ?name/] },
      { label: 'Volume problems (permissions, missing data)', patterns: [/volume|mount|permission|data|bind/] },
      { label: 'Performance problems (slow, out of memory, disk full)', patterns: [/slow|performance|memory|\bcpu\b|oom|space|disk/] },
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
      { label: '`docker logs`', patterns: [/\blogs?\b/] },
      { label: '`docker exec` for a shell inside', patterns: [/exec|shell|inside|attach/] },
      { label: '`docker stats` for CPU and memory', patterns: [/stats|\btop\b|resource usage/] },
      { label: '`docker inspect` and events', patterns: [/inspect|events?\b/] },
      { label: 'Monitoring (Prometheus, Grafana)', patterns: [/monitor|prometheus|grafana|metric|cadvisor/] },
      { label: 'Health checks', patterns: [/health/] },
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
      { label: 'Docker gives the same environment everywhere: no more "works on my machine"', patterns: [/consisten|same|works? on my|everywhere|portab|reproduc/] },
      { label: 'Images, containers, networks and volumes are the building blocks', patterns: [/image|container|network|volume|layer|dockerfile/] },
      { label: 'Compose manages multi-container apps', patterns: [/compose/] },
      { label: 'Security and optimization matter in production', patterns: [/secur|root|privilege|optimi|performance|production|health/] },
    ],
    need: 1,
    explanation:
      'Any of these is a good answer: consistent environments end "works on my machine"; images, containers, networks and volumes are the building blocks; compose runs multi-container apps; security and optimization are part of going to production.',
  },
];

export function questionById(id: string): Question | undefined {
  return QUESTIONS.find((q) => q.id === id);
}

export const questionsOfStep = (key: string): Question[] => QUESTIONS.filter((q) => q.step === key);

/** Lower case, one space between words, capped in length. */
export function normalizeAnswer(text: string): string {
  return text.slice(0, MAX_ANSWER_CHARS).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Which option an answer picks: its index, a letter (`b`), or the option's text. Undefined when it picks none.
 */
export function choiceIndex(q: ChoiceQuestion, answer: unknown): number | undefined {
  if (typeof answer === 'number') return Number.isInteger(answer) && answer >= 0 && answer < q.options.length ? answer : undefined;
  if (typeof answer !== 'string') return undefined;
  const a = normalizeAnswer(answer);
  if (/^[a-z]$/.test(a)) {
    const i = a.charCodeAt(0) - 97;
    return i < q.options.length ? i : undefined;
  }
  const i = q.options.findIndex((o) => normalizeAnswer(o) === a);
  return i >= 0 ? i : undefined;
}

/** Checks an answer. An empty or unusable answer is simply not correct; nothing here throws. */
export function checkAnswer(q: Question, answer: unknown): AnswerResult {
  if (q.kind === 'choice') {
    return { correct: choiceIndex(q, answer) === q.correct, found: [], missed: [], explanation: q.explanation };
  }
  const text = typeof answer === 'string' ? normalizeAnswer(answer) : '';
  const found: string[] = [];
  const missed: string[] = [];
  for (const idea of q.ideas) (text && idea.patterns.some((p) => p.test(text)) ? found : missed).push(idea.label);
  return { correct: found.length >= q.need, found, missed, explanation: q.explanation };
}

/** Whether there is anything to check: an attempt at all. */
export function isAttempt(q: Question, answer: unknown): boolean {
  if (q.kind === 'choice') return choiceIndex(q, answer) !== undefined;
  return typeof answer === 'string' && normalizeAnswer(answer).length > 0;
}
