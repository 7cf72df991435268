/**
 * The drift tests by name. Each entry is one file implementing `DriftTest`; `auto` (auto.ts) picks among them per
 * column as Evidently's default rule does.
 */
import { chi2Test } from './chi2.js';
import type { DriftTest, DriftTestName } from './drift-test.js';
import { jensenShannonTest } from './jensen-shannon.js';
import { ksTest } from './ks.js';
import { psiTest } from './psi.js';
import { wassersteinTest } from './wasserstein.js';
import { zTest } from './z-test.js';

/** Every drift test, keyed by its name. */
export const DRIFT_TESTS: Record<DriftTestName, DriftTest> = {
  ks: ksTest,
  wasserstein: wassersteinTest,
  psi: psiTest,
  chi2: chi2Test,
  jensenshannon: jensenShannonTest,
  z: zTest,
};

/** The test names, in registry order (for `--help` text and validation). */
export const DRIFT_TEST_NAMES = Object.keys(DRIFT_TESTS) as DriftTestName[];
