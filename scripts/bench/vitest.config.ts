import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** The bench's DOM measurements (`npm run bench`), apart from the test suite's projects. */
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "bench-dom",
    environment: "jsdom",
    include: ["scripts/bench/dom/collect.dom.tsx"],
    testTimeout: 60_000,
  },
});
