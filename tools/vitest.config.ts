import { defineProjectConfig } from '../vitest.shared.ts';

export default defineProjectConfig({ include: ['test/**/*.test.ts'], testTimeout: 120_000 });
