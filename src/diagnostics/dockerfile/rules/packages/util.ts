/** Shared plumbing of the package-manager and shell rules: one finding per offending word, with the DL alias. */
import { defineRule, finding } from '../../../registry';
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

/** The range of a whole RUN body (for findings about the body rather than a word). */
export function bodyRange(run: RunBody): Range {
  return run.rangeOf(0, run.text.replace(/\s+$/, '').length);
}

export function keywordRange(run: RunBody): Range {
  return run.step.instruction.keywordRange;
}

/** First index of a command matching `pred`, or -1. */
export function indexOfCommand(cmds: readonly ShellCommand[], pred: (c: ShellCommand) => boolean): number {
  return cmds.findIndex(pred);
}
