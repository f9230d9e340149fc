/**
 * The course as data: three walkthroughs in the order of the agenda, one step per topic. package.json's
 * `contributes.walkthroughs` is generated from this (see manifest.ts) and a unit test keeps the two equal.
 * No `vscode` import: the tests and the manifest generator read it as plain data.
 */

import type { OutcomeId } from './outcomes';

export type WalkthroughId = 'vmKiller' | 'todoApp' | 'wrapUp';

/** How a step gets its tick: the learner reads it, answers its checkpoint, does it against the daemon, or fixes the sample. */
export type Completion = 'read' | 'question' | 'handsOn' | 'dockerfile';

export interface Diagram {
  /** Path under the extension root. */
  file: string;
  alt: string;
}

export interface StepDef {
  id: string;
  title: string;
  /** One or two sentences beside the media: the gist, then the buttons. */
  summary: string;
  completion: Completion;
  /** A diagram shown as the step's media; without one the lesson markdown is the media. */
  diagram?: Diagram;
  /** For `completion: 'handsOn'`: what the daemon must show for the step to tick (outcomes.ts). */
  outcome?: OutcomeId;
  /** Checkpoint questions (ids in questions.ts). Answering one completes a `question` step; on other steps it only earns points. */
  questions?: string[];
  /** Terminal snippets (ids in SNIPPETS) offered as buttons, in order. */
  snippets?: string[];
  /** Offer "Create the todo-app sample". */
  sample?: boolean;
}

export interface WalkthroughDef {
  id: WalkthroughId;
  title: string;
  description: string;
  steps: StepDef[];
}

/** Extension id (publisher.name), the prefix VS Code puts on walkthrough and step ids. */
export const EXTENSION_ID = 'dockwise.dockwise';

/** Commands the learner can put into the course terminal. Only these ids are accepted, never free text. */
export const SNIPPETS: Readonly<Record<string, string>> = {
  dockerVersion: 'docker version',
  buildImage: 'docker build -t todo-app:1.0 .',
  runApp: 'docker run -d --name todo-web -p 3000:3000 todo-app:1.0',
  tagImage: 'docker tag todo-app:1.0 registry.example.com/you/todo-app:1.0',
  pushImage: 'docker push registry.example.com/you/todo-app:1.0',
  con1: 'docker run --rm --name con_1 alpine:3.20 touch greeting.txt',
  con2: 'docker run --rm --name con_2 alpine:3.20 stat greeting.txt',
  volumeCreate: 'docker volume create todo-data',
  dbWithVolume: 'docker run -d --name todo-db -e POSTGRES_PASSWORD=secret -v todo-data:/var/lib/postgresql/data postgres:17',
  bindMount: 'docker run --rm -v "$PWD":/src -w /src alpine:3.20 touch myfile.txt',
  networkCreate: 'docker network create todo-net',
  dbOnNetwork: 'docker run -d --name db --network todo-net -e POSTGRES_PASSWORD=secret postgres:17',
  pingDb: 'docker run --rm --network todo-net alpine:3.20 ping -c 3 db',
  composeUp: 'docker compose up -d',
  composePs: 'docker compose ps',
  logs: 'docker logs todo-web',
  exec: 'docker exec -it todo-web sh',
  stats: 'docker stats --no-stream',
};

/** Images the hands-on snippets name (the integration test tags its seeded image as each of them). */
export const SNIPPET_IMAGES = ['alpine:3.20', 'postgres:17', 'todo-app:1.0'] as const;

export const COURSE: readonly WalkthroughDef[] = [
  {
    id: 'vmKiller',
    title: 'Docker, the VM killer',
    description: 'What Docker is, why it won over virtual machines, how its parts talk to each other, and the words you will meet.',
    steps: [
      {
        id: 'whatIsDocker',
        title: 'What is Docker?',
        summary: 'Docker packs an app with everything it needs into a container that runs the same on every machine.',
        completion: 'read',
      },
      {
        id: 'whyDocker',
        title: 'Why we need Docker',
        summary: 'Faster delivery, one package per app, the same environment everywhere, and easy monitoring and scaling.',
        completion: 'read',
      },
      {
        id: 'vmsVsContainers',
        title: 'Why "VM killer"? VMs vs containers',
        summary: 'A VM boots a whole operating system; a container is a process that shares the host\'s kernel, so it starts in a blink and many fit on one host.',
        completion: 'read',
        diagram: {
          file: 'media/diagrams/vms-vs-containers.svg',
          alt: 'Two stacks side by side. Virtual machines: hardware, hypervisor, then one guest OS per app. Containers: hardware, one host OS kernel, the container engine, then many apps that share that kernel.',
        },
      },
      {
        id: 'architecture',
        title: 'The architecture',
        summary: 'The docker CLI sends REST calls over a socket to dockerd, which hands containers to containerd; runc creates each one and a shim stays as its parent. Images come from registries.',
        completion: 'read',
        diagram: {
          file: 'media/diagrams/architecture.svg',
          alt: 'The docker client sends REST API calls over a socket to dockerd. dockerd talks to containerd, which starts a shim per container; the shim runs runc, which creates the container process. dockerd pulls and pushes images from registries such as Docker Hub.',
        },
        snippets: ['dockerVersion'],
      },
      {
        id: 'terminology',
        title: 'The terminology',
        summary: 'Image, container, port, volume, network and registry: what each one is and how they fit together.',
        completion: 'read',
      },
    ],
  },
  {
    id: 'todoApp',
    title: 'Containerize the todo app',
    description: 'The story of a small todo app and its database, step by step from "works on my machine" to a secure compose setup, checked against your own Docker daemon.',
    steps: [
      {
        id: 'project',
        title: 'The project and its problems',
        summary: 'A todo app with two parts: the app and its database. Before writing code, think about what will go wrong when several people develop it.',
        completion: 'question',
        questions: ['projectProblems'],
        sample: true,
      },
      {
        id: 'decision',
        title: 'The technology decision',
        summary: 'We pick Docker containers. Agree or disagree: tell us why.',
        completion: 'question',
        questions: ['whyDocker', 'whyNotOther', 'alternatives'],
      },
      {
        id: 'containers',
        title: 'Containers and their isolation',
        summary: 'A container is an ordinary process on the host, fenced in by namespaces, cgroups and its own root filesystem. It keeps no state of its own.',
        completion: 'read',
      },
      {
        id: 'images',
        title: 'Images',
        summary: 'An image is the read-only package a container starts from: immutable, made of layers, each named by the digest of its content.',
        completion: 'read',
      },
      {
        id: 'layers',
        title: 'Layers, the union view and the writable layer',
        summary: 'Read-only layers are stacked and merged into one view; each container adds a thin writable layer on top. Deleting a lower file writes a whiteout.',
        completion: 'read',
        diagram: {
          file: 'media/diagrams/layers.svg',
          alt: 'Four read-only image layers stacked from the base image up (FROM, COPY package.json, RUN npm ci, COPY src), a thin writable container layer on top, and to the right the single merged view a process sees. A whiteout in an upper layer hides a file from a lower one.',
        },
      },
      {
        id: 'buildCache',
        title: 'The build cache',
        summary: 'Docker reuses a step\'s layer while the step and its inputs are unchanged; the first changed step and every step after it run again. Order instructions from least to most often changed.',
        completion: 'read',
      },
      {
        id: 'dockerfile',
        title: 'The todo app\'s Dockerfile',
        summary: 'Create the sample, open its Dockerfile and fix what Dockwise underlines: pin the base image, chain the RUNs, add a HEALTHCHECK and a non-root USER. The step completes when you save a Dockerfile with none of those findings left.',
        completion: 'dockerfile',
        sample: true,
      },
      {
        id: 'cmdEntrypoint',
        title: 'CMD vs ENTRYPOINT',
        summary: 'Both say what runs when the container starts; they differ in what docker run arguments do to them.',
        completion: 'question',
        questions: ['cmdVsEntrypoint'],
      },
      {
        id: 'copyAdd',
        title: 'COPY vs ADD, and .dockerignore',
        summary: 'COPY copies files from the build context and nothing more; ADD also fetches URLs and unpacks archives. A .dockerignore keeps the context small and secrets out.',
        completion: 'read',
      },
      {
        id: 'multiStage',
        title: 'Multi-stage builds',
        summary: 'Build in one stage with the full toolchain, copy only the result into a small final stage.',
        completion: 'read',
      },
      {
        id: 'buildRun',
        title: 'Build, run, tag and push',
        summary: 'Build the image, run a container from it, then tag it for a registry and push it. The step completes when a container of todo-app starts.',
        completion: 'handsOn',
        outcome: 'imageRuns',
        snippets: ['buildImage', 'runApp', 'tagImage', 'pushImage'],
      },
      {
        id: 'ephemeral',
        title: 'The container filesystem is ephemeral',
        summary: 'Run two containers: the first creates a file, the second looks for it. The step completes when both have run.',
        completion: 'handsOn',
        outcome: 'ephemeralDemo',
        snippets: ['con1', 'con2'],
        questions: ['whyFileMissing'],
      },
      {
        id: 'storage',
        title: 'Volumes, bind mounts and tmpfs',
        summary: 'Three ways to give a container storage that outlives its writable layer, or that never touches disk.',
        completion: 'question',
        questions: ['volumeVsBind'],
        diagram: {
          file: 'media/diagrams/storage.svg',
          alt: 'A container with three mounts. A volume points into Docker\'s own storage area on the host, managed by Docker. A bind mount points at any folder of the host\'s filesystem, such as your project. A tmpfs mount lives only in the host\'s memory and disappears with the container.',
        },
      },
      {
        id: 'persistData',
        title: 'Hands-on: persist the todo data',
        summary: 'Create a named volume and mount it into the database container. The step completes when a container mounts a volume you created.',
        completion: 'handsOn',
        outcome: 'volumePersists',
        snippets: ['volumeCreate', 'dbWithVolume', 'bindMount'],
      },
      {
        id: 'networking',
        title: 'Docker networks',
        summary: 'One app per container means the containers must talk: bridge, host, none and overlay networks decide who can reach whom.',
        completion: 'read',
        diagram: {
          file: 'media/diagrams/networks.svg',
          alt: 'Four network types. Bridge: containers on a private network on one host, reaching each other by name through a user-defined bridge. Host: the container uses the host\'s network stack directly. None: the container has only loopback. Overlay: one network stretched across several hosts.',
        },
      },
      {
        id: 'connectApp',
        title: 'Hands-on: connect the app to its database',
        summary: 'Put the database and a second container on one user-defined network and reach the database by its name. The step completes when two containers share a network you created.',
        completion: 'handsOn',
        outcome: 'appReachesMysql',
        snippets: ['networkCreate', 'dbOnNetwork', 'pingDb'],
      },
      {
        id: 'compose',
        title: 'Docker Compose',
        summary: 'One YAML file describes both services, their environment, network and volumes; "docker compose up" starts it all. The step completes when a compose project\'s containers run.',
        completion: 'handsOn',
        outcome: 'composeHealthy',
        snippets: ['composeUp', 'composePs'],
        diagram: {
          file: 'media/diagrams/compose.svg',
          alt: 'The todo app in compose.yaml: a web service built from the Dockerfile, publishing port 3000, and a db service from the postgres image with its data in the named volume todo-data. Both sit on the project\'s default network and web reaches db by the name db.',
        },
      },
      {
        id: 'security',
        title: 'Security',
        summary: 'What can go wrong, and the habits that prevent it: least privilege, official and scanned images, a non-root user, fewer capabilities, current versions.',
        completion: 'read',
      },
      {
        id: 'performance',
        title: 'Production readiness: performance',
        summary: 'What makes containers slow or big, and what to do about it.',
        completion: 'question',
        questions: ['perfFactors', 'perfSolutions'],
      },
      {
        id: 'troubleshooting',
        title: 'Production readiness: troubleshooting',
        summary: 'When a container misbehaves: its logs, a shell inside it, its live resource use, and health checks.',
        completion: 'question',
        questions: ['problemsFaced', 'howTroubleshoot'],
        snippets: ['logs', 'exec', 'stats'],
      },
    ],
  },
  {
    id: 'wrapUp',
    title: 'Docker course: wrap-up',
    description: 'What we covered, what to keep, and where to go next.',
    steps: [
      {
        id: 'recap',
        title: 'Recap',
        summary: 'Containers, images, Dockerfiles, volumes and networks; compose for several containers; security and production readiness.',
        completion: 'read',
      },
      {
        id: 'lessonsLearned',
        title: 'Lessons learned',
        summary: 'What is the most important thing you learned?',
        completion: 'question',
        questions: ['mostImportant'],
      },
      {
        id: 'nextSteps',
        title: 'Where to go next',
        summary: 'Orchestration, CI/CD with dockwise lint in your pipeline, monitoring and the cloud.',
        completion: 'read',
      },
      {
        id: 'resources',
        title: 'Resources',
        summary: 'Where to keep learning.',
        completion: 'read',
      },
    ],
  },
];

/** `todoApp.layers`: how progress, context keys and questions name a step. */
export type StepKey = `${WalkthroughId}.${string}`;

export const stepKey = (walkthrough: WalkthroughId, step: string): StepKey => `${walkthrough}.${step}`;

/** The context key whose becoming true completes the step (`completionEvents: onContext:…`). */
export const contextKey = (key: StepKey): string => `dockwise.course.${key}`;

/** Lesson markdown of a step, under the extension root. */
export const lessonFile = (walkthrough: WalkthroughId, step: string): string => `media/${walkthrough}/${step}.md`;

export function findStep(key: string): { walkthrough: WalkthroughDef; step: StepDef } | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const walkthrough = COURSE.find((w) => w.id === key.slice(0, dot));
  const step = walkthrough?.steps.find((s) => s.id === key.slice(dot + 1));
  return walkthrough && step ? { walkthrough, step } : undefined;
}

export function allStepKeys(): StepKey[] {
  return COURSE.flatMap((w) => w.steps.map((s) => stepKey(w.id, s.id)));
}
