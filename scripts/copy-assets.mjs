// Copies non-TypeScript runtime assets (SQL migrations, report templates) next to the compiled JS.
import { cpSync, existsSync } from 'node:fs';

const assets = [['src/store/migrations', 'dist/src/store/migrations']];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
