/**
 * The shell every pulse HTML report shares: a self-contained page (a Content-Security-Policy that allows no request,
 * the stylesheet, the data as inline JSON, the inlined chart library and the page's own script). The backtest report
 * and the drift report fill in the title, the body and the script.
 */
import { escapeInlineScript, loadChartLibrary } from './chart-library.js';
import { escapeHtml } from './sections.js';
import { REPORT_CSS } from './styles.js';

/** Serialise a payload for an inline `<script type="application/json">`: `<` never appears literally. */
export function serializeForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface ReportPage {
  title: string;
  /** Rules added after the shared stylesheet. */
  css?: string;
  /** The content of `<main>` (already escaped HTML). */
  main: string;
  /** The payload the script reads from `#pulse-report-data`. */
  data: unknown;
  /** The page's script (plain ES2017), run after the chart library. */
  script: string;
}

/** The complete page. The chart library's version is available to `main` through {@link chartLibraryVersion}. */
export function renderReportPage(page: ReportPage): string {
  const library = loadChartLibrary();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="generator" content="pulse">
<title>${escapeHtml(page.title)}</title>
<style>${REPORT_CSS}${page.css ?? ''}</style>
</head>
<body>
<main>
${page.main}
</main>
<script type="application/json" id="pulse-report-data">${serializeForScript(page.data)}</script>
<script>${library.source}</script>
<script>${escapeInlineScript(page.script)}</script>
</body>
</html>
`;
}

/** The inlined chart library's version (for a report's footer). */
export function chartLibraryVersion(): string {
  return loadChartLibrary().version;
}
