/** Every compose rule's metadata in one place, so docs, settings and SARIF descriptors can list them. */
import { defineRule } from '../../registry';
import type { RuleMeta } from '../../types';

const COMPOSE = 'dockwise.todoApp#compose';
const SECURITY = 'dockwise.todoApp#security';

const rule = (code: string, severity: RuleMeta['severity'], title: string, lesson = COMPOSE, aliases: string[] = []) =>
  defineRule({ code, kind: 'compose', aliases, severity, title, lesson });

export const COMPOSE_SYNTAX = rule('compose-syntax', 'error', 'The compose file is not valid YAML');
export const INTERNAL_ERROR = defineRule({ code: 'internal-error', kind: 'compose', aliases: [], severity: 'warning', title: 'A check failed on this file' });
export const COMPOSE_SCHEMA = rule('compose-schema', 'error', 'The compose file does not follow the Compose Specification', COMPOSE, ['invalid-schema']);

export const COMPOSE_CONSISTENCY = rule('compose-consistency', 'error', 'Settings compose refuses together: exclusive keys, cycles, impossible counts');

export const NO_LATEST_TAG = rule('no-latest-tag', 'warning', 'Pin service images to a version instead of latest or no tag', COMPOSE, [
  'service-image-require-explicit-tag',
]);
export const NO_VERSION_FIELD = rule('no-version-field', 'info', 'The top-level version field is obsolete');
export const NO_UNDECLARED_REFERENCE = rule('no-undeclared-reference', 'error', 'Services may only use volumes, networks, secrets, configs and services that are declared');
export const NO_DUPLICATE_CONTAINER_NAME = rule('no-duplicate-container-name', 'error', 'Two services cannot share a container_name', COMPOSE, [
  'no-duplicate-container-names',
]);
export const NO_DUPLICATE_HOST_PORT = rule('no-duplicate-host-port', 'error', 'Two services cannot publish the same host port', COMPOSE, [
  'no-duplicate-exported-ports',
]);

export const NO_ROOT_USER = rule('no-root-user', 'warning', 'Do not run a service as root', SECURITY);
export const NO_PRIVILEGED = rule('no-privileged', 'error', 'Do not run privileged containers', SECURITY);
export const NO_DOCKER_SOCKET = rule('no-docker-socket', 'error', 'Do not mount the Docker socket into a container', SECURITY);
export const NO_DANGEROUS_CAPABILITIES = rule('no-dangerous-capabilities', 'warning', 'Do not add capabilities that let a container reach the host', SECURITY);
export const NO_HOST_NAMESPACE = rule('no-host-namespace', 'warning', "Do not share the host's network, PID, IPC or other namespaces", SECURITY);
export const NO_UNCONFINED_SECURITY_OPT = rule('no-unconfined-security-opt', 'warning', 'Do not turn off seccomp, AppArmor or SELinux confinement', SECURITY);
export const NO_SENSITIVE_MOUNT = rule('no-sensitive-mount', 'error', 'Do not bind-mount the host root, system folders or credentials', SECURITY);
export const NO_PUBLIC_ADMIN_PORT = rule('no-public-admin-port', 'warning', 'Publish database and admin ports on 127.0.0.1, not on every interface', SECURITY);
export const NO_PLAINTEXT_SECRET = rule('no-plaintext-secret', 'warning', 'Do not write passwords, tokens or keys in plain text in environment', SECURITY);

export const REQUIRE_HEALTHCHECK = rule('require-healthcheck', 'info', 'Give each service a healthcheck');
export const REQUIRE_RESTART_POLICY = rule('require-restart-policy', 'hint', 'Say how a service restarts when it stops');
export const REQUIRE_RESOURCE_LIMITS = rule('require-resource-limits', 'hint', 'Limit the memory and CPU a service may use');
export const DEPENDS_ON_HEALTHY = rule('depends-on-healthy', 'warning', 'Wait for a dependency that has a healthcheck to be healthy');
