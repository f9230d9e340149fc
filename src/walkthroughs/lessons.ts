/**
 * "Learn why" targets. Rules name the step that teaches them as `dockwise.<walkthrough>#<step>`
 * (RuleMeta.lesson); this turns such a name into the arguments of `workbench.action.openWalkthrough`.
 *
 * VS Code (1.100, gettingStarted.contribution.ts) joins `{ category, step }` as `${category}#${step}` and looks that
 * up among step ids, which it builds as `<extension id>#<walkthrough id>#<step id>`. So `category` is
 * `dockwise.dockwise#todoApp` and `step` is the bare step id, `security`.
 */
import { COURSE, EXTENSION_ID, WalkthroughId } from './course';

export interface LessonTarget {
  walkthrough: WalkthroughId;
  step: string;
}

/** Argument of `workbench.action.openWalkthrough` that opens one step. */
export interface OpenWalkthroughArgs {
  category: string;
  step: string;
}

const PREFIX = 'dockwise.';

/** Names rules may use for a topic that a step with another id teaches. */
export const LESSON_ALIASES: Readonly<Record<string, string>> = {
  'dockwise.todoApp#healthcheck': 'dockwise.todoApp#troubleshooting',
  'dockwise.todoApp#cache': 'dockwise.todoApp#buildCache',
  'dockwise.todoApp#user': 'dockwise.todoApp#security',
};

/** Every step of every walkthrough, by its lesson name: `dockwise.todoApp#security` → todoApp / security. */
export const LESSONS: ReadonlyMap<string, LessonTarget> = new Map(
  COURSE.flatMap((w) => w.steps.map((s) => [`${PREFIX}${w.id}#${s.id}`, { walkthrough: w.id, step: s.id }] as const)),
);

const LESSONS_LOWER = new Map([...LESSONS].map(([k, v]) => [k.toLowerCase(), v]));

/** `dockwise.todoApp#security`, the form rules use. */
export const lessonName = (walkthrough: WalkthroughId, step: string): string => `${PREFIX}${walkthrough}#${step}`;

/**
 * The lesson a name points to. Accepts the rules' form (`dockwise.todoApp#security`), the fully qualified step id
 * (`dockwise.dockwise#todoApp#security`) and a bare walkthrough (`dockwise.todoApp`, first step).
 */
export function resolveLesson(name: string): LessonTarget | undefined {
  if (typeof name !== 'string' || name.length > 200) return undefined;
  const direct = LESSONS.get(name) ?? LESSONS.get(Object.hasOwn(LESSON_ALIASES, name) ? LESSON_ALIASES[name] : '') ?? LESSONS_LOWER.get(name.toLowerCase());
  if (direct) return direct;
  const qualified = name.startsWith(`${EXTENSION_ID}#`) ? name.slice(EXTENSION_ID.length + 1).split('#') : undefined;
  if (qualified?.length === 2) return LESSONS.get(`${PREFIX}${qualified[0]}#${qualified[1]}`);
  if (name.startsWith(PREFIX) && !name.includes('#')) {
    const w = COURSE.find((x) => x.id === name.slice(PREFIX.length));
    if (w) return { walkthrough: w.id, step: w.steps[0].id };
  }
  return undefined;
}

export function openWalkthroughArgs(target: LessonTarget): OpenWalkthroughArgs {
  return { category: walkthroughCategory(target.walkthrough), step: target.step };
}

/** The walkthrough's id as VS Code knows it: `dockwise.dockwise#todoApp`. */
export const walkthroughCategory = (walkthrough: WalkthroughId): string => `${EXTENSION_ID}#${walkthrough}`;

/** The step's id as VS Code knows it (`welcome.markStepIncomplete` takes this): `dockwise.dockwise#todoApp#security`. */
export const qualifiedStepId = (target: LessonTarget): string => `${walkthroughCategory(target.walkthrough)}#${target.step}`;
