#!/usr/bin/env node
/**
 * Sums the JSON reports that Vitest writes when QUANT_TEST_REPORT_DIR is set, prints one line per project and a
 * closing line "N passed, N failed", and exits non-zero when a test failed or no test ran at all.
 *
 *   node tools/test-summary.mjs tmp/test-reports
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const directory = process.argv[2] ?? 'tmp/test-reports';
const reports = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.json')).sort() : [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of reports) {
  const report = JSON.parse(readFileSync(join(directory, name), 'utf8'));
  const projectSkipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${name.replace(/\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${projectSkipped} skipped`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += projectSkipped;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
