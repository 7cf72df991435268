// After tsc: copy non-TypeScript runtime assets (SQL migrations) next to the compiled JS, and make the CLI entry
// executable (tsc writes files without the x bit; `npx pulse` runs the bin file directly).
import { chmodSync, cpSync, existsSync } from 'node:fs';

const assets = [['src/store/sqlite/migrations', 'dist/src/store/sqlite/migrations']];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
chmodSync('dist/bin/pulse.js', 0o755);
