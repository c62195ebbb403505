#!/usr/bin/env node
/**
 * Consumer check: packs every publishable library into a tarball, installs the tarballs into a temporary project
 * outside the workspace (no workspace links, no TypeScript paths), and imports each package from ESM and from
 * CommonJS, calling a function of each so a broken build or a missing file fails here rather than for users.
 *
 *   node tools/consumer-check.mjs          (run `nx run-many -t build` first)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const workspaceRoot = resolve(import.meta.dirname, '..');
const librariesRoot = join(workspaceRoot, 'libs');
const libraries = readdirSync(librariesRoot).filter((name) => existsSync(join(librariesRoot, name, 'package.json')));
const consumer = mkdtempSync(join(tmpdir(), 'quant-consumer-'));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  const tarballs = [];
  for (const name of libraries) {
    const directory = join(librariesRoot, name);
    if (!existsSync(join(directory, 'dist', 'index.js'))) throw new Error(`libs/${name} is not built: run npx nx run-many -t build`);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', consumer], directory));
    const { filename, files } = packed[0];
    const allowed = /^(dist\/|README\.md$|LICENSE$|package\.json$)/;
    const unexpected = files.map((file) => file.path).filter((path) => !allowed.test(path));
    if (unexpected.length > 0) throw new Error(`@quant/${name} would publish unexpected files: ${unexpected.join(', ')}`);
    tarballs.push(join(consumer, filename));
    console.log(`packed @quant/${name}: ${files.length} files`);
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'quant-consumer', private: true, version: '0.0.0' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...tarballs], consumer);

  const checks = {
    core: {
      call: "m.createRandom(42).nextUint32() > 0 && m.dayToIso(m.isoToDay('2016-05-16')) === '2016-05-16'",
    },
    db: {
      call: "(() => { const d = m.openDatabase(':memory:'); const ok = d.schemaVersion === m.SCHEMA_VERSION && d.integrityCheck() === 'ok'; d.close(); return ok; })()",
    },
    features: {
      call: 'Object.keys(m).length > 10',
    },
    'sample-data': {
      call: "m.loadBars('AAPL').dates.length === 1259 && m.listSymbols('core').length === 82",
    },
  };
  for (const name of libraries) {
    const call = checks[name]?.call ?? 'Object.keys(m).length > 0';
    writeFileSync(join(consumer, `check-${name}.mjs`), `import * as m from '@quant/${name}';\nif (!(${call})) { throw new Error('ESM check failed for @quant/${name}'); }\nconsole.log('ESM import of @quant/${name}: ok');\n`);
    writeFileSync(join(consumer, `check-${name}.cjs`), `const m = require('@quant/${name}');\nif (!(${call})) { throw new Error('CommonJS check failed for @quant/${name}'); }\nconsole.log('CommonJS require of @quant/${name}: ok');\n`);
    process.stdout.write(run(process.execPath, [`check-${name}.mjs`], consumer));
    process.stdout.write(run(process.execPath, [`check-${name}.cjs`], consumer));
  }
  const installed = JSON.parse(readFileSync(join(consumer, 'node_modules/@quant/core/package.json'), 'utf8'));
  console.log(`consumer check passed: ${libraries.length} packages (core ${installed.version}) from tarballs, ESM and CommonJS`);
} finally {
  rmSync(consumer, { recursive: true, force: true });
}
