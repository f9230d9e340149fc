/** What every compose rule gets: the parsed file, its services, the project around it, and a way to report. */
import * as path from 'node:path';
import type { Pair, YAMLMap } from 'yaml';
import type { LintConfig } from '../config';
import type { LintHost } from '../host';
import { finding } from '../registry';
import type { Finding, RuleMeta, Severity } from '../types';
import type { ParsedCompose } from './parse';
import { buildProjectIndex, ProjectIndex, ServiceLayer } from './project';
import { asMap, entries, entryKeySpan } from './yamlNodes';

export interface ServiceNode {
  name: string;
  pair: Pair;
  /** Where the service's name is written: findings about the service as a whole point here. */
  keySpan: [number, number] | undefined;
  map: YAMLMap | undefined;
  /** This definition, what it extends and what other files of the project add (plain data), nearest first. */
  layers: ServiceLayer[];
  /** The service's profiles: a service with profiles only runs when one of them is enabled. */
  profiles: string[];
}

export interface ComposeContext {
  parsed: ParsedCompose;
  root: YAMLMap | undefined;
  services: ServiceNode[];
  project: ProjectIndex;
  filePath: string | undefined;
  dir: string | undefined;
  host: LintHost;
  config: LintConfig;
  /** False when the document could not be turned into data (an alias bomb): checks of what is absent stay silent. */
  dataAvailable: boolean;
  report(meta: RuleMeta, span: [number, number] | undefined, message: string, extra?: { severity?: Severity; data?: Record<string, unknown> }): void;
}

export type ComposeCheck = (ctx: ComposeContext) => void;

export function createContext(
  parsed: ParsedCompose,
  filePath: string | undefined,
  host: LintHost,
  config: LintConfig,
  out: Finding[],
): ComposeContext {
  const root = asMap(parsed.doc.contents);
  const project = buildProjectIndex(parsed.data, filePath, host);
  const services: ServiceNode[] = [];
  // Every document of the file: compose merges them, so a service may be written in more than one.
  for (const doc of parsed.docs) {
    const servicesEntry = entries(asMap(doc.contents)).find((e) => e.key === 'services');
    for (const e of entries(asMap(servicesEntry?.pair.value))) {
      const layers = project.layers(e.key);
      const profiles = layers.flatMap((l) => (Array.isArray(l.data.profiles) ? l.data.profiles.map(String) : []));
      services.push({ name: e.key, pair: e.pair, keySpan: entryKeySpan(e), map: asMap(e.pair.value), layers, profiles });
    }
  }
  return {
    parsed,
    root,
    services,
    project,
    filePath,
    dir: filePath ? path.dirname(filePath) : undefined,
    host,
    config,
    dataAvailable: parsed.data !== undefined,
    report(meta, span, message, extra) {
      out.push(finding(meta, parsed.toRange(span), message, extra));
    },
  };
}

