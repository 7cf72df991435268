/**
 * The error function as Optuna 3.1's TPE evaluates it, so its truncated normals match to the last bits:
 * - {@link optunaErf}: `optuna/samplers/_tpe/_erf.py`, a NumPy port of FreeBSD's `s_erf.c` erf that drops the
 *   `SET_LOW_WORD` refinement for |x| >= 1.25 (Optuna's `_ndtr` uses it);
 * - {@link erfc} and the small-|x| {@link optunaErf} branch: FreeBSD/fdlibm `s_erf.c` in full, which is what
 *   CPython's `math.erfc`/`math.erf` give on glibc (Optuna's scalar `_ndtr_single` uses them).
 */

const erx = 8.45062911510467529297e-01;
const efx = 1.28379167095512586316e-01;
const pp0 = 1.28379167095512558561e-01, pp1 = -3.25042107247001499370e-01, pp2 = -2.84817495755985104766e-02;
const pp3 = -5.77027029648944159157e-03, pp4 = -2.37630166566501626084e-05;
const qq1 = 3.97917223959155352819e-01, qq2 = 6.50222499887672944485e-02, qq3 = 5.08130628187576562776e-03;
const qq4 = 1.32494738004321644526e-04, qq5 = -3.96022827877536812320e-06;
const pa0 = -2.36211856075265944077e-03, pa1 = 4.14856118683748331666e-01, pa2 = -3.72207876035701323847e-01;
const pa3 = 3.18346619901161753674e-01, pa4 = -1.10894694282396677476e-01, pa5 = 3.54783043256182359371e-02;
const pa6 = -2.16637559486879084300e-03;
const qa1 = 1.06420880400844228286e-01, qa2 = 5.40397917702171048937e-01, qa3 = 7.18286544141962662868e-02;
const qa4 = 1.26171219808761642112e-01, qa5 = 1.36370839120290507362e-02, qa6 = 1.19844998467991074170e-02;
const ra0 = -9.86494403484714822705e-03, ra1 = -6.93858572707181764372e-01, ra2 = -1.05586262253232909814e01;
const ra3 = -6.23753324503260060396e01, ra4 = -1.62396669462573470355e02, ra5 = -1.84605092906711035994e02;
const ra6 = -8.12874355063065934246e01, ra7 = -9.81432934416914548592e00;
const sa1 = 1.96512716674392571292e01, sa2 = 1.37657754143519042600e02, sa3 = 4.34565877475229228821e02;
const sa4 = 6.45387271733267880336e02, sa5 = 4.29008140027567833386e02, sa6 = 1.08635005541779435134e02;
const sa7 = 6.57024977031928170135e00, sa8 = -6.04244152148580987438e-02;
const rb0 = -9.86494292470009928597e-03, rb1 = -7.99283237680523006574e-01, rb2 = -1.77579549177547519889e01;
const rb3 = -1.60636384855821916062e02, rb4 = -6.37566443368389627722e02, rb5 = -1.02509513161107724954e03;
const rb6 = -4.83519191608651397019e02;
const sb1 = 3.03380607434824582924e01, sb2 = 3.25792512996573918826e02, sb3 = 1.53672958608443695994e03;
const sb4 = 3.19985821950859553908e03, sb5 = 2.55305040643316442583e03, sb6 = 4.74528541206955367215e02;
const sb7 = -2.24409524465858183362e01;

function smallRatio(x: number): number {
  const z = x * x;
  const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
  const s = 1 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
  return r / s;
}

function midRatio(a: number): { P: number; Q: number } {
  const s = a - 1;
  return {
    P: pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6))))),
    Q: 1 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6))))),
  };
}

/** R/S of the tail approximation for |x| in [1.25, 28). */
function tailRatio(a: number): number {
  const s = 1 / (a * a);
  if (a < 1 / 0.35) {
    const R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
    const S = 1 + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
    return R / S;
  }
  const R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
  const S = 1 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  return R / S;
}

/** erf as Optuna's `_erf.erf` (NumPy port of FreeBSD's, without the low-word refinement). */
export function optunaErf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 2 ** -28) return x + efx * x;
  if (a < 0.84375) return x + x * smallRatio(x);
  const sign = Math.sign(x);
  if (a < 1.25) {
    const { P, Q } = midRatio(a);
    return (erx + P / Q) * sign;
  }
  if (a >= 6) return sign;
  const r = Math.exp(-a * a - 0.5625) * Math.exp(tailRatio(a));
  return (1 - r / a) * sign;
}

/** `x` with the low 32 bits of its IEEE-754 representation cleared (fdlibm's `SET_LOW_WORD(z, 0)`). */
function clearLowWord(x: number): number {
  const f = new Float64Array([x]);
  new Uint32Array(f.buffer)[0] = 0; // little-endian: word 0 is the low word
  return f[0];
}

/** erfc as fdlibm's `s_erf.c` (glibc's, hence CPython's `math.erfc`). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const y = smallRatio(x);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (a < 1.25) {
    const { P, Q } = midRatio(a);
    return x >= 0 ? 1 - erx - P / Q : 1 + (erx + P / Q);
  }
  if (a < 28) {
    if (x < 0 && a >= 6) return 2;
    const z = clearLowWord(a);
    const r = Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + tailRatio(a));
    return x > 0 ? r / a : 2 - r / a;
  }
  return x > 0 ? 0 : 2;
}
