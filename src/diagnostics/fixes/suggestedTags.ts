/**
 * Version tags to suggest for common official images when no daemon can say which one the user has: current,
 * supported lines, newest first. The first is what `dockwise lint --fix` writes; people can type any other.
 */
export const SUGGESTED_TAGS: Record<string, string[]> = {
  node: ['22-bookworm-slim', '22-alpine', '24-bookworm-slim', '20-bookworm-slim'],
  python: ['3.13-slim', '3.12-slim', '3.13-alpine'],
  postgres: ['17-alpine', '17', '16-alpine'],
  mysql: ['8.4', '9.1'],
  mariadb: ['11.4', '10.11'],
  redis: ['7.4-alpine', '7.4'],
  nginx: ['1.27-alpine', '1.27'],
  httpd: ['2.4-alpine', '2.4'],
  alpine: ['3.21', '3.20'],
  debian: ['bookworm-slim', 'bookworm'],
  ubuntu: ['24.04', '22.04'],
  golang: ['1.23-alpine', '1.23-bookworm'],
  openjdk: ['21-jdk-slim'],
  'eclipse-temurin': ['21-jre', '21-jdk', '17-jre'],
  mongo: ['8.0', '7.0'],
  busybox: ['1.37', '1.36'],
  rabbitmq: ['4.0-management-alpine', '4.0-alpine'],
  traefik: ['v3.2'],
  php: ['8.3-fpm-alpine', '8.3-apache'],
  ruby: ['3.3-slim', '3.3-alpine'],
};

/** Suggestions for an official image named as written (`node`, `library/node`, `docker.io/library/node`); none for others. */
export function suggestedTags(image: string): string[] {
  const name = image.replace(/^(?:docker\.io\/)?(?:library\/)?/, '').toLowerCase();
  return SUGGESTED_TAGS[name] ?? [];
}
