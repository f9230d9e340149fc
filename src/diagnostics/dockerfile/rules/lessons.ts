/**
 * The walkthrough step that teaches each course rule (`<walkthroughId>#<stepId>`), in one place so the course and
 * the rules agree on ids.
 */
export const LESSONS = {
  'no-latest-tag': 'dockwise.todoApp#dockerfile',
  'no-root-user': 'dockwise.todoApp#security',
  'chain-run': 'dockwise.todoApp#layers',
  'require-healthcheck': 'dockwise.todoApp#troubleshooting',
} as const;
