/** Shared plumbing of the package-manager and shell rules: one finding per offending word, with the DL alias. */
import { defineRule, finding, ruleByName } from '../../../registry';
import type { Finding, Range, RuleMeta, Severity } from '../../../types';
import type { DockerfileContext, DockerfileRule } from '../../context';
import { RunBody, shellModel, ShellModel } from '../../shell/model';
import type { ShellCommand, ShellWord } from '../../shell/script';

export interface HadolintRuleSpec {
  code: string;
  alias: string;
  severity: Severity;
  title: string;
  offByDefault?: boolean;
}

export function defineHadolintRule(spec: HadolintRuleSpec): RuleMeta {
  return defineRule({
    code: spec.code,
    kind: 'dockerfile',
    aliases: [spec.alias],
    severity: spec.severity,
    title: spec.title,
    ...(spec.offByDefault ? { offByDefault: true } : {}),
  });
}

export type Report = (f: Finding) => void;

/** A rule that looks at each RUN body's commands. */
export function runRule(meta: RuleMeta, check: (run: RunBody, emit: (range: Range, message: string) => void, model: ShellModel) => void): DockerfileRule {
  return {
    codes: [meta.code],
    check(ctx: DockerfileContext, report: Report) {
      const model = shellModel(ctx);
      for (const run of model.runs) {
        if (!run.script) continue;
        check(run, (range, message) => report(finding(meta, range, message)), model);
      }
    },
  };
}

/** A rule that looks at the whole Dockerfile model. */
export function modelRule(meta: RuleMeta, check: (model: ShellModel, emit: (range: Range, message: string) => void, ctx: DockerfileContext) => void): DockerfileRule {
  return {
    codes: [meta.code],
    check(ctx: DockerfileContext, report: Report) {
      check(shellModel(ctx), (range, message) => report(finding(meta, range, message)), ctx);
    },
  };
}

export const wordRange = (run: RunBody, w: ShellWord): Range => run.rangeOf(w.start, w.end);

/** From the command name to its last argument. */
export const commandRange = (run: RunBody, cmd: ShellCommand): Range =>
  run.rangeOf(cmd.nameWord.start, (cmd.args[cmd.args.length - 1] ?? cmd.nameWord).end);

/**
 * For a hadolint rule that says the same as another Dockwise rule (`copy-destination-not-directory`, from
 * dockerfile-utils' checks): once that rule carries the DL alias it reports alone (one finding, both names);
 * until then this one reports, so the DL code is never lost.
 */
export function deferringTo(otherCode: string, meta: RuleMeta, rule: DockerfileRule): DockerfileRule {
  return {
    codes: rule.codes,
    check(ctx, report) {
      const other = ruleByName('dockerfile', otherCode);
      if (other && other.code !== meta.code && other.aliases.some((a) => meta.aliases.includes(a))) return;
      rule.check(ctx, report);
    },
  };
}

/**
 * A package argument that is only a variable (`$runDeps`, `"${PACKAGES}"`, `${deps[@]}`): a list of packages
 * this file cannot see, pinned or not. Every package-pinning rule leaves it alone.
 */
export const isWholeVariable = (word: string): boolean => /^\$(\{[A-Za-z_][A-Za-z0-9_]*(\[[@*]\])?\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(word);
