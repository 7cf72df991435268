/**
 * Every test runs with feature kernels' uninitialised rows poisoned (see nanArray): a kernel that leaves a row
 * unwritten then yields UNWRITTEN, which no golden, reference or property test accepts.
 */
import { poisonUnwrittenRows } from '../src/features/types.js';

/** The value of a row no kernel wrote (finite, so tests must look for it explicitly). */
export const UNWRITTEN = -7.77e300;

poisonUnwrittenRows(UNWRITTEN);
