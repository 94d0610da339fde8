import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    // CLI tests spawn the built binary; a few cores are plenty and keep memory flat.
    pool: "forks",
  },
});
