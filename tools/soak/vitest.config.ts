import { defineConfig } from 'vitest/config';

// The soak's self-test only: pure and fast. The soak itself runs with `npm run soak`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    root: import.meta.dirname,
  },
});
