/**
 * The search space of a study: the family's default space (./default-spaces.ts), or a `--space FILE` (JSON,
 * ./space-file.ts) checked against the family itself: every range bound and every choice is given to the family's
 * parameter check (building an unfitted model through the lifecycle), so an unknown name or a value the family
 * refuses is one line naming the parameter, before any data is read.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, PulseError, UsageError } from '../core/errors.js';
import { newModel } from '../lifecycle/fit.js';
import type { ModelFamily, Task } from '../models/model.js';
import { defaultSpace } from './default-spaces.js';
import { parseSpaceFile } from './space-file.js';
import type { ParamValue, SearchSpace } from './space.js';

/** The values of a parameter's range worth checking: its bounds, or every choice. */
function probes(d: SearchSpace[string]): ParamValue[] {
  return d.kind === 'categorical' ? [...d.choices] : [d.low, d.high];
}

/**
 * Check that a family accepts every value of a space. Throws `UsageError` naming `where` and the parameter.
 */
export function checkSpace(space: SearchSpace, family: ModelFamily, task: Task, numClass: number, where: string): void {
  for (const [name, d] of Object.entries(space)) {
    for (const value of probes(d)) {
      try {
        newModel({ family, task, numClass, params: { [name]: value }, horizon: 1 });
      } catch (e) {
        if (e instanceof PulseError) throw new UsageError(`${where}: ${name}: ${e.message}`, e.hint ?? `see the ${family} parameters in docs/models.md`);
        throw e;
      }
    }
  }
}

/**
 * The space of a study of `family`: the file's when `file` is given, else the family's default.
 * @throws UsageError for a bad file, a family without parameters to search; ConfigError for an unreadable file.
 */
export function studySpace(family: ModelFamily, task: Task, numClass: number, file?: string): SearchSpace {
  if (file === undefined) {
    const space = defaultSpace(family);
    if (!space) throw new UsageError(`${family} has no parameters to optimise`, 'optimise another model family (--model)');
    return space;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the space file ${file}: ${(e as Error).message}`, 'pass a readable JSON file to --space');
  }
  const where = `space file ${file}`;
  const space = parseSpaceFile(text, { source: where });
  checkSpace(space, family, task, numClass, where);
  return space;
}
