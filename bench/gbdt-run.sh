#!/usr/bin/env bash
# GBDT training benchmark: pulse against the native anchors on the same matrix, in the same run.
#
#   bench/gbdt-run.sh [--data] DIR [ENGINES]      e.g. npm run bench:gbdt -- --data /tmp/gbdt-100k xgb2,xgb1,hgbt
#
# DIR holds the matrix made by `/usr/bin/python3 ../shared/bench/make-gbdt-data.py ROWS 50 DIR`. pulse runs from
# compiled JavaScript (dist/bench/gbdt.js; build first with `npm run build`, or set PULSE_BENCH_JS to another
# compiled copy). Prints every engine's JSON line, then one summary line with pulse's ratios against xgb2
# (time ratios > 1 mean pulse is slower; rmse_ratio > 1 means pulse's holdout error is higher).
set -euo pipefail
[ "${1:-}" = "--data" ] && shift
dir=${1:?usage: npm run bench:gbdt -- --data DIR [ENGINES]  (make DIR with ../shared/bench/make-gbdt-data.py)}
engines=${2:-xgb2}
root=$(cd "$(dirname "$0")/.." && pwd)
js=${PULSE_BENCH_JS:-$root/dist/bench/gbdt.js}
native=${PULSE_SHARED_DIR:-$root/../shared}/bench/gbdt-native.py
[ -f "$js" ] || { echo "missing $js: run npm run build first" >&2; exit 2; }
[ -f "$native" ] || { echo "missing $native (../shared is not present)" >&2; exit 2; }

pulse=$(node "$js" --data "$dir")
echo "$pulse"
anchors=$(/usr/bin/python3 "$native" "$dir" "$engines")
echo "$anchors"
PULSE_LINE="$pulse" ANCHORS="$anchors" node -e '
  const p = JSON.parse(process.env.PULSE_LINE);
  const a = process.env.ANCHORS.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const x = a.find((e) => e.engine === "xgb2");
  if (!x) { console.log(JSON.stringify({ note: "no xgb2 line to compare with" })); process.exit(0); }
  const r = (v) => +v.toFixed(3);
  console.log(JSON.stringify({ compare: "pulse/xgb2", rows: p.rows, train_ratio: r(p.train_s / x.train_s),
    predict_ratio: r(p.predict_s / x.predict_s), predict_warm_ratio: r(p.predict_warm_s / x.predict_s), rmse_ratio: r(p.rmse / x.rmse), pulse_peak_rss_mb: p.peak_rss_mb }));
'
