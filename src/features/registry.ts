/**
 * The feature registry: every built-in indicator, indexed by feature-name prefix, and name parsing
 * (`bb_upper_20_2` -> family `bb_upper`, params [20, 2]). A registry can be extended with user-defined families
 * (which `checkNoLookahead` then vets like the built-ins).
 */
import { ConfigError } from '../core/errors.js';
import { adxIndicator } from './indicators/adx.js';
import { aroonIndicator } from './indicators/aroon.js';
import { atrIndicator } from './indicators/atr.js';
import { bollingerIndicator } from './indicators/bollinger.js';
import { calendarIndicator } from './indicators/calendar.js';
import { cciIndicator } from './indicators/cci.js';
import { cmfIndicator } from './indicators/cmf.js';
import { cmoIndicator } from './indicators/cmo.js';
import { demaIndicator } from './indicators/dema.js';
import { donchianIndicator } from './indicators/donchian.js';
import { emaIndicator } from './indicators/ema.js';
import { garmanKlassIndicator } from './indicators/garman-klass.js';
import { keltnerIndicator } from './indicators/keltner.js';
import { logReturnIndicator } from './indicators/log-return.js';
import { maShapeIndicator } from './indicators/ma-shape.js';
import { macdIndicator } from './indicators/macd.js';
import { mfiIndicator } from './indicators/mfi.js';
import { momentumIndicator } from './indicators/momentum.js';
import { obvIndicator } from './indicators/obv.js';
import { parkinsonIndicator } from './indicators/parkinson.js';
import { priceVolumeCorrelationIndicator } from './indicators/price-volume-correlation.js';
import { rangeDistanceIndicator } from './indicators/range-distance.js';
import { returnMomentsIndicator } from './indicators/return-moments.js';
import { rocIndicator } from './indicators/roc.js';
import { rsiIndicator } from './indicators/rsi.js';
import { smaIndicator } from './indicators/sma.js';
import { stochasticIndicator } from './indicators/stochastic.js';
import { temaIndicator } from './indicators/tema.js';
import { trixIndicator } from './indicators/trix.js';
import { volatilityIndicator } from './indicators/volatility.js';
import { volumeRatioIndicator } from './indicators/volume-ratio.js';
import { vwapDeviationIndicator } from './indicators/vwap-deviation.js';
import { williamsRIndicator } from './indicators/williams-r.js';
import { wmaIndicator } from './indicators/wma.js';
import { yangZhangIndicator } from './indicators/yang-zhang.js';
import { zscoreIndicator } from './indicators/zscore.js';
import type { FeatureFamily, Indicator } from './types.js';

/** Every built-in indicator, in documentation order. */
export const BUILTIN_INDICATORS: readonly Indicator[] = [
  smaIndicator,
  emaIndicator,
  wmaIndicator,
  demaIndicator,
  temaIndicator,
  maShapeIndicator,
  macdIndicator,
  adxIndicator,
  aroonIndicator,
  trixIndicator,
  rsiIndicator,
  stochasticIndicator,
  williamsRIndicator,
  cciIndicator,
  cmoIndicator,
  rocIndicator,
  momentumIndicator,
  atrIndicator,
  bollingerIndicator,
  keltnerIndicator,
  donchianIndicator,
  volatilityIndicator,
  parkinsonIndicator,
  garmanKlassIndicator,
  yangZhangIndicator,
  obvIndicator,
  mfiIndicator,
  cmfIndicator,
  volumeRatioIndicator,
  vwapDeviationIndicator,
  priceVolumeCorrelationIndicator,
  logReturnIndicator,
  returnMomentsIndicator,
  rangeDistanceIndicator,
  zscoreIndicator,
  calendarIndicator,
];

/** A feature name resolved to its family and parameter values. */
export interface ResolvedFeature {
  /** Canonical feature name (`prefix_p1_p2`). */
  name: string;
  family: FeatureFamily;
  params: readonly number[];
}

const PREFIX_RE = /^[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*$/;
const NUMBER_RE = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/** Families indexed by name prefix; resolves feature names. Build one with {@link createRegistry}. */
export class FeatureRegistry {
  private readonly byPrefix = new Map<string, FeatureFamily>();

  constructor(families: readonly FeatureFamily[]) {
    for (const f of families) {
      if (!PREFIX_RE.test(f.prefix)) {
        throw new ConfigError(
          `feature prefix "${f.prefix}" is invalid`,
          'use lower-case words joined by "_", each starting with a letter (parameters are appended as numbers)',
        );
      }
      if (this.byPrefix.has(f.prefix)) {
        throw new ConfigError(`feature prefix "${f.prefix}" is defined twice`, 'give every feature family a unique prefix');
      }
      this.byPrefix.set(f.prefix, f);
    }
  }

  /** Every family, in registration order. */
  families(): FeatureFamily[] {
    return [...this.byPrefix.values()];
  }

  /** The family with this prefix, or undefined. */
  family(prefix: string): FeatureFamily | undefined {
    return this.byPrefix.get(prefix);
  }

  /**
   * Resolve a feature name: the longest registered prefix followed only by numeric parameter tokens, with the
   * count and ranges of the family's parameters. Throws a ConfigError naming the problem otherwise.
   */
  resolve(name: string): ResolvedFeature {
    const tokens = name.split('_');
    for (let cut = tokens.length; cut >= 1; cut--) {
      const family = this.byPrefix.get(tokens.slice(0, cut).join('_'));
      if (!family) continue;
      const rest = tokens.slice(cut);
      if (!rest.every((t) => NUMBER_RE.test(t))) continue;
      const params = rest.map(Number);
      this.checkParams(name, family, params);
      return { name: featureName(family.prefix, params), family, params };
    }
    throw new ConfigError(
      `unknown feature "${name}"`,
      'feature names are <prefix>_<params>, e.g. rsi_14 or bb_upper_20_2; `pulse features --list` shows the prefixes',
    );
  }

  private checkParams(name: string, family: FeatureFamily, params: number[]): void {
    const spec = family.params;
    if (params.length !== spec.length) {
      const shape = [family.prefix, ...spec.map((p) => `<${p.name}>`)].join('_');
      throw new ConfigError(
        `feature "${name}" has ${params.length} parameter(s), ${family.prefix} takes ${spec.length}`,
        `write it as ${shape}`,
      );
    }
    spec.forEach((p, i) => {
      const v = params[i];
      if (v < p.min || v > p.max || (p.integer && !Number.isInteger(v))) {
        throw new ConfigError(
          `feature "${name}": ${p.name} = ${v} is out of range`,
          `${p.name} must be ${p.integer ? 'an integer' : 'a number'} between ${p.min} and ${p.max}`,
        );
      }
    });
  }
}

/** The canonical name of a feature: prefix and parameters joined with `_` (`bb_upper_20_2`). */
export function featureName(prefix: string, params: readonly number[]): string {
  return [prefix, ...params.map((p) => String(p))].join('_');
}

/** A registry of the built-ins plus optional user-defined families (prefixes must not collide). */
export function createRegistry(extra: readonly FeatureFamily[] = []): FeatureRegistry {
  return new FeatureRegistry([...BUILTIN_INDICATORS.flatMap((i) => i.families), ...extra]);
}

/** The registry of built-in features. */
export const builtinRegistry: FeatureRegistry = createRegistry();
