/**
 * The other files of a compose project, read through the host: the base file and its overrides
 * (`compose.yaml` + `compose.override.yaml`, `compose.prod.yaml` ...), `include:`d files and `extends: {file}` targets.
 * They tell which services, volumes, networks, secrets and configs exist elsewhere and what a service inherits,
 * so a file is never blamed for what another file of its project provides.
 */
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { mergeOverride } from './merge';
import type { LintHost } from '../host';
import { MAX_ALIAS_EXPANSIONS } from './parse';
import { withDefaults } from './variables';

export type Data = Record<string, unknown>;

/** One definition of a service, with the folder its relative paths (build context) are resolved from. */
export interface ServiceLayer {
  data: Data;
  dir: string | undefined;
}

export const TOP_LEVEL_KINDS = ['services', 'volumes', 'networks', 'secrets', 'configs'] as const;
export type TopLevelKind = (typeof TOP_LEVEL_KINDS)[number];

export interface ProjectIndex {
  /** True when other compose files nearby may be given with this one (`-f`) or include it. */
  hasPartners: boolean;
  /** True when a file of the project could not be read (an include that is missing here): names may be declared there. */
  partial: boolean;
  /** Names declared by this file or any file of its project. */
  declared: Record<TopLevelKind, Set<string>>;
  /** A service as compose will see it: this file's definition first, then what it extends and other files add. */
  layers(service: string): ServiceLayer[];
  /** The files `from` includes, one after the other, until `target`; undefined when its includes never reach it. */
  includeChain(from: string, target: string): string[] | undefined;
  /** True when `service` exists in `file` (resolved from this file's folder), or in this file when `file` is unset. */
  hasExtendsTarget(file: string | undefined, service: string): boolean | undefined;
}

const MAX_FILES = 32;

export const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

interface LoadedFile {
  path: string;
  data: Data;
}

export function buildProjectIndex(data: unknown, filePath: string | undefined, host: LintHost): ProjectIndex {
  const own: Data = isObject(data) ? data : {};
  const dir = filePath ? path.dirname(filePath) : undefined;
  const cache = new Map<string, LoadedFile | undefined>();
  const load = (file: string): LoadedFile | undefined => {
    const abs = path.resolve(file);
    if (filePath && abs === path.resolve(filePath)) return { path: abs, data: own };
    if (cache.has(abs)) return cache.get(abs);
    if (cache.size >= MAX_FILES) return undefined;
    cache.set(abs, undefined); // a cycle back to this file finds nothing instead of looping
    const text = host.readFile(abs);
    const loaded = text === undefined ? undefined : { path: abs, data: toData(text) };
    cache.set(abs, loaded);
    return loaded;
  };

  const declared = Object.fromEntries(TOP_LEVEL_KINDS.map((k) => [k, new Set<string>()])) as ProjectIndex['declared'];
  const addDeclared = (d: Data) => {
    for (const kind of TOP_LEVEL_KINDS) {
      const section = d[kind];
      if (isObject(section)) for (const name of Object.keys(section)) declared[kind].add(name);
    }
  };
  addDeclared(own);

  const siblings: LoadedFile[] = [];
  if (filePath) {
    for (const f of siblingFiles(filePath)) {
      const l = load(f);
      if (l) siblings.push(l);
    }
  }
  // Included files, and what they include in turn.
  const included: LoadedFile[] = [];
  const queue: { d: Data; dir: string | undefined }[] = [{ d: own, dir }, ...siblings.map((s) => ({ d: s.data, dir: path.dirname(s.path) }))];
  while (queue.length) {
    const { d, dir: base } = queue.shift()!;
    if (!base) continue;
    for (const inc of includePaths(d.include)) {
      const l = load(path.resolve(base, inc));
      if (l && l.data !== own && !included.includes(l)) {
        included.push(l);
        queue.push({ d: l.data, dir: path.dirname(l.path) });
      }
    }
  }
  for (const f of [...siblings, ...included]) addDeclared(f.data);
  // Files this one may be given with (`-f base.yml -f this.yml`) or included by: what they declare is not missing.
  const partners: LoadedFile[] = [];
  if (filePath) {
    for (const f of partnerFiles(filePath)) {
      const l = load(f);
      if (l && l.data !== own && !siblings.includes(l) && !included.includes(l)) partners.push(l);
    }
  }
  // What partners include belongs to the same project (laradock's docker-compose.yml includes every service).
  let partial = false;
  const partnerQueue = [...partners];
  while (partnerQueue.length) {
    const f = partnerQueue.shift()!;
    for (const inc of includePaths(f.data.include)) {
      const l = load(path.resolve(path.dirname(f.path), inc));
      if (!l) partial = true;
      else if (l.data !== own && !partners.includes(l)) {
        partners.push(l);
        partnerQueue.push(l);
      }
    }
  }
  for (const f of partners) addDeclared(f.data);

  const serviceIn = (d: Data, name: string): Data | undefined => {
    const svcs = d.services;
    const s = isObject(svcs) ? svcs[name] : undefined;
    return isObject(s) ? s : s === null ? {} : undefined;
  };

  /** A service definition followed by what it extends, recursively. */
  const withExtends = (svc: Data, fileData: Data, fileDir: string | undefined, out: ServiceLayer[], depth: number) => {
    out.push({ data: svc, dir: fileDir });
    if (depth > 8) return;
    const ext = svc.extends;
    const target = typeof ext === 'string' ? { service: ext, file: undefined } : isObject(ext) ? { service: ext.service, file: ext.file } : undefined;
    if (!target || typeof target.service !== 'string') return;
    let d = fileData;
    let dDir = fileDir;
    if (typeof target.file === 'string') {
      if (!fileDir) return;
      const l = load(path.resolve(fileDir, target.file));
      if (!l) return;
      d = l.data;
      dDir = path.dirname(l.path);
    }
    const base = serviceIn(d, target.service);
    if (base && base !== svc) withExtends(base, d, dDir, out, depth + 1);
  };

  return {
    declared,
    hasPartners: partners.length + siblings.length > 0,
    partial,
    layers(name) {
      const out: ServiceLayer[] = [];
      const mine = serviceIn(own, name);
      if (mine) withExtends(mine, own, dir, out, 0);
      for (const s of siblings) {
        const theirs = serviceIn(s.data, name);
        if (theirs) withExtends(theirs, s.data, path.dirname(s.path), out, 0);
      }
      return out;
    },
    includeChain(from, target) {
      const seen = new Set<string>();
      const walk = (file: string, chain: string[]): string[] | undefined => {
        const next = [...chain, file];
        if (file === target) return next;
        if (seen.has(file) || next.length > MAX_FILES) return undefined;
        seen.add(file);
        const text = host.readFile(file);
        if (text === undefined) return undefined;
        for (const inc of includePaths(toData(text).include)) {
          const found = walk(path.resolve(path.dirname(file), inc), next);
          if (found) return found;
        }
        return undefined;
      };
      return walk(path.resolve(from), []);
    },
    hasExtendsTarget(file, service) {
      if (file === undefined) return serviceIn(own, service) !== undefined || siblings.some((s) => serviceIn(s.data, service) !== undefined);
      if (!dir) return undefined;
      const l = load(path.resolve(dir, file));
      return l ? serviceIn(l.data, service) !== undefined : undefined;
    },
  };
}

function toData(text: string): Data {
  try {
    const docs = parseAllDocuments(text, { merge: true, prettyErrors: false, logLevel: 'silent' });
    const d = (Array.isArray(docs) ? docs : [docs]).map((doc) => doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS })).reduce((a, b) => mergeOverride(a, b), undefined);
    return isObject(d) ? d : {};
  } catch {
    return {};
  }
}

function includePaths(include: unknown): string[] {
  if (!Array.isArray(include)) return [];
  const out: string[] = [];
  for (const item of include) {
    if (typeof item === 'string') out.push(item);
    else if (isObject(item)) {
      const p = item.path;
      if (typeof p === 'string') out.push(p);
      else if (Array.isArray(p)) for (const x of p) if (typeof x === 'string') out.push(x);
    }
  }
  // `${DIR:-./stack}/compose.yaml` is read with its default, as compose does when the variable is unset.
  return out.map((p) => withDefaults(p)).filter((p): p is string => p !== undefined && !/^[a-z]+:\/\//i.test(p) && !/^(oci|git)[:@]/.test(p));
}

const COMPOSE_BASES = ['compose', 'docker-compose'];
const PARENT_LEVELS = 4;

/**
 * Compose files that may be used together with this one but that the naming conventions of siblingFiles do not
 * tie to it: base files in this folder and the folders above (an overlay `etherpad.yml` beside
 * `docker-compose.yml`, a fragment `adminer/compose.yml` that `../docker-compose.yml` includes), and the file
 * this one's name extends (`quickstart-mysql.yml` → `quickstart.yml`, `docker-compose-example.yml` →
 * `docker-compose.yml`), in this folder and above.
 */
export function partnerFiles(filePath: string): string[] {
  const name = path.basename(filePath);
  const stem = /^(.+?)[-._][^/]*\.ya?ml$/.exec(name)?.[1];
  const names = [...COMPOSE_BASES, ...(stem && !COMPOSE_BASES.includes(stem) ? [stem] : [])];
  const own = name.replace(/\.ya?ml$/i, '');
  const out: string[] = [];
  let dir = path.dirname(filePath);
  for (let level = 0; level <= PARENT_LEVELS; level++) {
    // Above its folder, a file of the same name too (contrib/…/quickstart.yml over ./quickstart.yml).
    const here = level > 0 && !names.includes(own) ? [...names, own] : names;
    for (const base of here) for (const ext of EXTS) out.push(path.join(dir, base + ext));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const self = path.resolve(filePath);
  return out.filter((f) => path.resolve(f) !== self);
}
const EXTS = ['.yaml', '.yml'];

/**
 * Files merged with this one when compose runs with defaults or the usual `-f base -f overlay`:
 * a base file sees its `.override` file, an overlay (`compose.override.yaml`, `compose.prod.yml`) sees its base.
 */
export function siblingFiles(filePath: string): string[] {
  const dir = path.dirname(filePath);
  const name = path.basename(filePath);
  const out: string[] = [];
  for (const base of COMPOSE_BASES) {
    const overlay = new RegExp(`^${base.replace('-', '\\-')}\\.([^/]+)\\.ya?ml$`).exec(name);
    if (overlay) {
      for (const ext of EXTS) out.push(path.join(dir, base + ext));
      if (overlay[1] !== 'override') for (const ext of EXTS) out.push(path.join(dir, `${base}.override${ext}`));
    } else if (EXTS.some((ext) => name === base + ext)) {
      for (const ext of EXTS) out.push(path.join(dir, `${base}.override${ext}`));
    }
  }
  return out.filter((f) => f !== filePath);
}
