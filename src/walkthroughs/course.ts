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
  composeVersion: 'docker compose version',
  buildImage: 'docker build -t todo-app:1.0 .',
  runApp: 'docker run -d --name todo-app -p 3000:3000 todo-app:1.0',
  runRegistry: 'docker run -d --name registry -p 5000:5000 registry:2',
  tagImage: 'docker tag todo-app:1.0 localhost:5000/todo-app:1.0',
  pushImage: 'docker push localhost:5000/todo-app:1.0',
  con1: 'docker run --rm --name con_1 alpine:3.21 touch greeting.txt',
  con2: 'docker run --rm --name con_2 alpine:3.21 stat greeting.txt',
  volumeCreate: 'docker volume create todo-db',
  removeApp: 'docker rm -f todo-app',
  runWithVolume: 'docker run -d --name todo-app -p 3000:3000 -v todo-db:/etc/todos todo-app:1.0',
  runWithBind: 'docker run -d --name todo-dev -v "$(pwd):/src" todo-app:1.0',
  execTouch: 'docker exec todo-dev touch /src/myfile.txt',
  removeSqliteApps: 'docker rm -f todo-app todo-dev',
  networkCreate: 'docker network create todo-net',
  runMysql: 'docker run -d --name mysql --network todo-net -v todo-mysql-data:/var/lib/mysql -e MYSQL_ROOT_PASSWORD=secret -e MYSQL_DATABASE=todos mysql:8.4',
  pingMysql: 'docker run --rm --network todo-net alpine:3.21 ping -c 3 mysql',
  runAppOnNetwork: 'docker run -d --name todo-app --network todo-net -p 3000:3000 -e MYSQL_HOST=mysql -e MYSQL_USER=root -e MYSQL_PASSWORD=secret -e MYSQL_DB=todos todo-app:1.0',
  removeNetworkApps: 'docker rm -f todo-app mysql',
  composeUp: 'docker compose up -d --build',
  composePs: 'docker compose ps',
  composeLogs: 'docker compose logs app',
  composeExec: 'docker compose exec app sh',
  stats: 'docker stats --no-stream',
};

/** Images the hands-on snippets name, besides the one the learner builds. */
export const SNIPPET_IMAGES = ['alpine:3.21', 'mysql:8.4', 'registry:2', 'todo-app:1.0'] as const;

export const COURSE: readonly WalkthroughDef[] = [
  {
    id: 'vmKiller',
    title: 'Docker, the VM killer',
    description: 'What Docker is, why it won over virtual machines, how its parts talk to each other, and the words you will meet.',
    steps: [
      {
        id: 'whatIsDocker',
        title: 'What is Docker?',
        summary: 'Docker packs an app with everything it needs into a container that runs the same on every machine. The course needs Docker Engine with the Compose plugin, or Docker Desktop.',
        completion: 'read',
        snippets: ['dockerVersion', 'composeVersion'],
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
        diagram: {
          file: 'media/diagrams/terminology.svg',
          alt: 'How the six words fit together. A registry stores images; pull brings an image from it, push sends one back, and build makes an image from a Dockerfile. Run starts a container from an image. A port of the container is published so a browser can reach it, a volume keeps its data beyond its life, and a network connects it to other containers, which reach each other by name.',
        },
      },
    ],
  },
  {
    id: 'todoApp',
    title: 'Containerize the todo app',
    description: 'The story of a small todo app, from a SQLite file on one laptop to the app and MySQL under compose, step by step, checked against your own Docker daemon.',
    steps: [
      {
        id: 'project',
        title: 'The project and its problems',
        summary: 'A todo app with two parts: the logic (a Node.js web server) and the database (a SQLite file first, MySQL later). What problems do you expect when several people develop it?',
        completion: 'question',
        questions: ['projectProblems'],
        sample: true,
        diagram: {
          file: 'media/diagrams/project.svg',
          alt: 'The todo app has two parts. A browser talks to the logic, a Node.js web server on port 3000 with a page and a JSON API. The logic keeps the todos first in a SQLite file at /etc/todos/todo.db, later in a MySQL server reached over the network. Developers on Windows, macOS and Linux all need the same setup.',
        },
      },
      {
        id: 'decision',
        title: 'Step 1: the technology decision',
        summary: 'Docker comes into play. Agree? Say why containers. Disagree? Say why not, and what else there is.',
        completion: 'question',
        questions: ['whyDocker', 'whyNotOther', 'alternatives'],
      },
      {
        id: 'containers',
        title: 'Step 2: containers and their isolation',
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
        title: 'Step 3: the todo app\'s Dockerfile',
        summary: 'Create the sample, open its Dockerfile and fix what Dockwise underlines: pin the base image, COPY instead of ADD, one RUN, a HEALTHCHECK, a non-root USER. The step completes when you save it with none of the course\'s findings left.',
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
        summary: 'Do the building in one stage, copy only the result into the final one: what the build needed stays behind.',
        completion: 'read',
      },
      {
        id: 'buildRun',
        title: 'Hands-on: build and run the todo app',
        summary: 'Build the image from your Dockerfile, run it with port 3000 published, and add todos at http://localhost:3000. Ticks when a container of your image runs and its app answers on /health.',
        completion: 'handsOn',
        outcome: 'imageRuns',
        snippets: ['buildImage', 'runApp'],
      },
      {
        id: 'registry',
        title: 'Hands-on: share the image through a registry',
        summary: 'Run a local registry (registry:2 on localhost:5000), tag your image for it and push it. Ticks when your todo-app image carries the digest the running registry gave it.',
        completion: 'handsOn',
        outcome: 'imagePushed',
        snippets: ['runRegistry', 'tagImage', 'pushImage'],
      },
      {
        id: 'ephemeral',
        title: 'Step 4: the container filesystem is ephemeral',
        summary: 'con_1 creates a file, con_2 looks for it. Ticks when con_2 cannot find the file con_1 created. Then say why.',
        completion: 'handsOn',
        outcome: 'ephemeralDemo',
        snippets: ['con1', 'con2'],
        questions: ['whyFileMissing'],
      },
      {
        id: 'storage',
        title: 'Volumes, bind mounts and tmpfs',
        summary: 'Volume mounts and bind mounts give a container storage that outlives its writable layer; tmpfs never touches the disk.',
        completion: 'question',
        questions: ['volumeVsBind'],
        diagram: {
          file: 'media/diagrams/storage.svg',
          alt: 'A container with three mounts. A volume, -v todo-db:/etc/todos, points into Docker\'s own storage area on the host, managed by Docker. A bind mount, -v "$(pwd):/src", points at any folder of the host\'s filesystem, such as your project. A tmpfs mount lives only in the host\'s memory and disappears with the container.',
        },
      },
      {
        id: 'persistData',
        title: 'Hands-on: persist the todos in a volume',
        summary: 'Create the todo-db volume, run the app with it at /etc/todos, add todos, then replace the container. Ticks when the new container still lists a todo older than itself, from the volume.',
        completion: 'handsOn',
        outcome: 'volumePersists',
        snippets: ['volumeCreate', 'removeApp', 'runWithVolume'],
      },
      {
        id: 'bindMount',
        title: 'Hands-on: bind-mount the app\'s folder',
        summary: 'Run the app with the sample\'s folder at /src and create myfile.txt from inside with exec. Ticks when myfile.txt shows up in your folder.',
        completion: 'handsOn',
        outcome: 'bindMountFile',
        snippets: ['runWithBind', 'execTouch'],
      },
      {
        id: 'networking',
        title: 'Step 5: Docker networks',
        summary: 'One concern per container means the containers must talk: bridge, host, none and overlay networks decide who can reach whom.',
        completion: 'read',
        diagram: {
          file: 'media/diagrams/networks.svg',
          alt: 'Four network types. Bridge: containers app and mysql on a private network on one host, reaching each other by name through a user-defined bridge, with port 3000 published. Host: the container uses the host\'s network stack directly. None: the container has only loopback. Overlay: one network stretched across several hosts.',
        },
      },
      {
        id: 'connectApp',
        title: 'Hands-on: connect the app to MySQL',
        summary: 'Create todo-net, start MySQL on it, ping it by name, then run the app pointed at mysql. Ticks when the app reports it reached MySQL by that name over your network.',
        completion: 'handsOn',
        outcome: 'appReachesMysql',
        snippets: ['removeSqliteApps', 'networkCreate', 'runMysql', 'pingMysql', 'runAppOnNetwork'],
      },
      {
        id: 'compose',
        title: 'Step 6: Docker Compose',
        summary: 'One compose.yaml: services app (bind-mounted for development) and mysql (on a volume), their environment and secret; "docker compose up" starts it all. Ticks when both services run healthy and the app reaches MySQL.',
        completion: 'handsOn',
        outcome: 'composeHealthy',
        snippets: ['removeNetworkApps', 'composeUp', 'composePs'],
        diagram: {
          file: 'media/diagrams/compose.svg',
          alt: 'The todo app in compose.yaml: an app service built from the Dockerfile, its src folder bind-mounted for development, publishing port 3000 on 127.0.0.1, and a mysql service from mysql:8.4 with its data in the named volume todo-mysql-data. Both read the password from the secret db_password. On the project\'s default network, app reaches mysql by its name once its healthcheck passes.',
        },
      },
      {
        id: 'security',
        title: 'Step 7: security',
        summary: 'What can go wrong, and the habits that prevent it: least privilege, official and scanned images, a non-root user, fewer capabilities, secrets out of files, current versions.',
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
        snippets: ['composeLogs', 'composeExec', 'stats'],
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
        summary: 'Orchestration, CI/CD with dockwise lint in your pipeline, monitoring and logging, and the cloud.',
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
