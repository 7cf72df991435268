/**
 * `none`: no known schedule. Bars sit on the UTC grid of interval.ts and every step between them is fine: no
 * gap is reported, no freshness is judged, and annualisation has no default (the caller must give periods per
 * year). Ordinals count UTC grid slots so that resampling and generators still work.
 */
import { ContinuousCalendar } from './continuous.js';

/** The calendar of instruments whose schedule pulse does not know (see the module note). */
export class NoCalendar extends ContinuousCalendar {
  override readonly detectsGaps = false;

  constructor() {
    super('none');
  }

  override periodsPerYear(): undefined {
    return undefined;
  }

  override lastClosedBar(): undefined {
    return undefined;
  }
}
