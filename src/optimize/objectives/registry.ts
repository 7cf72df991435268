/** Every objective of `pulse optimize` by name: one line per objective file. */
import { calmar } from './calmar.js';
import { cvIc } from './cv-ic.js';
import { cvLoss } from './cv-loss.js';
import type { ObjectiveName, StudyObjective } from './objective.js';
import { profitDrawdown } from './profit-drawdown.js';
import { sharpe } from './sharpe.js';
import { sortino } from './sortino.js';

export const OBJECTIVES: Readonly<Record<ObjectiveName, StudyObjective>> = {
  'cv-loss': cvLoss,
  'cv-ic': cvIc,
  sharpe,
  sortino,
  calmar,
  'profit-drawdown': profitDrawdown,
};
