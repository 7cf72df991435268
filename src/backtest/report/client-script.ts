/**
 * The report page's own script (plain ES2017, run by the browser after the inlined lightweight-charts bundle). It
 * reads the embedded JSON payload and draws three charts that share one time axis: price candles with trade
 * markers, strategy equity against buy-and-hold, and drawdown. Colours come from the stylesheet's custom
 * properties and follow the light/dark preference live. When the charts are drawn it sets
 * `document.body.dataset.charts = "ready"` (or `"error"`, with the reason logged to the console and shown on the
 * page), which is what the browser test waits for.
 *
 * Kept as a string (not compiled TypeScript) so no build or test transform can add helpers the page lacks.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  function fail(err) {
    var message = err && err.message ? err.message : String(err);
    console.error('pulse report: the charts could not be drawn: ' + message);
    document.body.dataset.charts = 'error';
    var notes = document.querySelectorAll('.chart');
    for (var i = 0; i < notes.length; i++) {
      var p = document.createElement('p');
      p.className = 'chart-error';
      p.textContent = 'Chart unavailable: ' + message;
      notes[i].appendChild(p);
    }
  }
  try {
    var LWC = window.LightweightCharts;
    if (!LWC) throw new Error('the chart library did not load');
    var payload = JSON.parse(document.getElementById('pulse-report-data').textContent);
    var c = payload.chart;
    var intraday = payload.intraday;
    var n = c.time.length;
    if (n === 0) throw new Error('the series has no bars');

    function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
    function palette() {
      return {
        bg: cssVar('--panel'), text: cssVar('--muted'), grid: cssVar('--grid'), border: cssVar('--border'),
        accent: cssVar('--accent'), up: cssVar('--up'), down: cssVar('--down'), bh: cssVar('--bh')
      };
    }
    function chartOptions(pal) {
      return {
        autoSize: true,
        layout: { background: { type: 'solid', color: pal.bg }, textColor: pal.text, fontSize: 11,
          fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif' },
        grid: { vertLines: { color: pal.grid }, horzLines: { color: pal.grid } },
        // One fixed scale width for all charts, so a given bar sits at the same x in each of them.
        rightPriceScale: { borderColor: pal.border, minimumWidth: 96 },
        timeScale: { borderColor: pal.border, timeVisible: intraday, secondsVisible: false },
        localization: { dateFormat: 'yyyy-MM-dd' }
      };
    }
    function fixed(x, d) { return x === null || x === undefined ? 'n/a' : Number(x).toFixed(d); }

    var pal = palette();
    var candles = new Array(n), equity = [], buyHold = [], drawdown = [];
    for (var i = 0; i < n; i++) {
      var t = c.time[i];
      candles[i] = { time: t, open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i] };
      if (c.equity[i] !== null) equity.push({ time: t, value: c.equity[i] });
      if (c.buyAndHold[i] !== null) buyHold.push({ time: t, value: c.buyAndHold[i] });
      if (c.drawdownPct[i] !== null) drawdown.push({ time: t, value: c.drawdownPct[i] });
    }

    var priceChart = LWC.createChart(document.getElementById('chart-price'), chartOptions(pal));
    var candleSeries = priceChart.addSeries(LWC.CandlestickSeries, {
      upColor: pal.up, downColor: pal.down, borderVisible: false, wickUpColor: pal.up, wickDownColor: pal.down
    });
    candleSeries.setData(candles);
    var withText = c.markers.length <= 80;
    function markerList(p) {
      return c.markers.map(function (m) {
        var long = m.side === 'long';
        if (m.kind === 'entry') {
          return { time: m.time, position: long ? 'belowBar' : 'aboveBar', shape: long ? 'arrowUp' : 'arrowDown',
            color: p.accent, text: withText ? (long ? 'Long' : 'Short') : '' };
        }
        return { time: m.time, position: long ? 'aboveBar' : 'belowBar', shape: 'circle',
          color: m.returnPct >= 0 ? p.up : p.down, text: withText ? (m.returnPct >= 0 ? '+' : '') + fixed(m.returnPct, 2) + '%' : '' };
      });
    }
    var markers = LWC.createSeriesMarkers(candleSeries, markerList(pal));

    var equityChart = LWC.createChart(document.getElementById('chart-equity'), chartOptions(pal));
    var cashFormat = { type: 'custom', minMove: 0.01, formatter: function (x) {
      return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } };
    var bhSeries = equityChart.addSeries(LWC.LineSeries, { color: pal.bh, lineWidth: 1, lineStyle: 2, priceFormat: cashFormat, title: 'buy & hold' });
    bhSeries.setData(buyHold);
    var eqSeries = equityChart.addSeries(LWC.LineSeries, { color: pal.accent, lineWidth: 2, priceFormat: cashFormat, title: 'strategy' });
    eqSeries.setData(equity);

    var ddChart = LWC.createChart(document.getElementById('chart-drawdown'), chartOptions(pal));
    var ddSeries = ddChart.addSeries(LWC.BaselineSeries, {
      baseValue: { type: 'price', price: 0 }, topLineColor: pal.down, bottomLineColor: pal.down, lineWidth: 1,
      topFillColor1: 'rgba(0,0,0,0)', topFillColor2: 'rgba(0,0,0,0)',
      bottomFillColor1: pal.down + '22', bottomFillColor2: pal.down + '66',
      priceFormat: { type: 'custom', minMove: 0.01, formatter: function (x) { return x.toFixed(2) + ' %'; } }
    });
    ddSeries.setData(drawdown);

    // One time axis for all three: the series share their chart points, so logical ranges line up exactly.
    var charts = [priceChart, equityChart, ddChart];
    var syncing = false;
    charts.forEach(function (source) {
      source.timeScale().subscribeVisibleLogicalRangeChange(function (range) {
        if (syncing || range === null) return;
        syncing = true;
        charts.forEach(function (other) { if (other !== source) other.timeScale().setVisibleLogicalRange(range); });
        syncing = false;
      });
    });
    charts.forEach(function (ch) { ch.timeScale().fitContent(); });

    // One crosshair for all three: hovering a bar in any chart marks the same bar in the others.
    var indexOfTime = {};
    for (var k = 0; k < n; k++) indexOfTime[c.time[k]] = k;
    var linked = [
      { chart: priceChart, series: candleSeries, values: c.close },
      { chart: equityChart, series: eqSeries, values: c.equity },
      { chart: ddChart, series: ddSeries, values: c.drawdownPct }
    ];
    var moving = false;
    linked.forEach(function (source) {
      source.chart.subscribeCrosshairMove(function (param) {
        if (moving) return;
        moving = true;
        var idx = param.time === undefined ? undefined : indexOfTime[param.time];
        linked.forEach(function (other) {
          if (other === source) return;
          if (idx === undefined || other.values[idx] === null) other.chart.clearCrosshairPosition();
          else other.chart.setCrosshairPosition(other.values[idx], param.time, other.series);
        });
        moving = false;
      });
    });

    var scheme = window.matchMedia('(prefers-color-scheme: dark)');
    function restyle() {
      var p = palette();
      charts.forEach(function (ch) { ch.applyOptions(chartOptions(p)); });
      candleSeries.applyOptions({ upColor: p.up, downColor: p.down, wickUpColor: p.up, wickDownColor: p.down });
      bhSeries.applyOptions({ color: p.bh });
      eqSeries.applyOptions({ color: p.accent });
      ddSeries.applyOptions({ topLineColor: p.down, bottomLineColor: p.down, bottomFillColor1: p.down + '22', bottomFillColor2: p.down + '66' });
      markers.setMarkers(markerList(p));
    }
    if (scheme.addEventListener) scheme.addEventListener('change', restyle);

    // The library paints on animation frames: report "ready" after two frames so the canvases hold the charts.
    requestAnimationFrame(function () { requestAnimationFrame(function () { document.body.dataset.charts = 'ready'; }); });
  } catch (err) {
    fail(err);
  }
})();
`;
