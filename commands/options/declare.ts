/**
 * Commander declarations generated from an option table (src/core/option-schema.ts), so a flag's help text,
 * default and choices are written once, beside the schema that reads its value.
 */
import { Option, type Command } from 'commander';
import { helpText, type OptionTable } from '../../src/core/option-schema.js';

/**
 * Declare every option of `table` on `cmd`. A table key must be the attribute name commander derives from the
 * flag (`--fee-bps` -> `feeBps`); a mismatch is a programming error and throws when the program is built.
 */
export function declareOptions(cmd: Command, table: OptionTable): Command {
  for (const [key, spec] of Object.entries(table)) {
    const option = new Option(spec.flags, helpText(spec));
    if (option.attributeName() !== key) throw new Error(`option table key "${key}" does not match ${spec.flags} (${option.attributeName()})`);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.choices) option.choices(spec.choices);
    if (spec.required) option.makeOptionMandatory();
    cmd.addOption(option);
  }
  return cmd;
}
