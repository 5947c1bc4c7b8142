import { defineConfig } from "vitest/config";
import base from "./vite.config";

/**
 * The dom test suite once more, on React 18.3 (the older half of the `react` peer range), as CI runs
 * it: `npx vitest run --config vitest.react18.config.ts`.
 *
 * React 18.3 comes from the npm aliases `react18` and `react-dom18` (devDependencies). Vite's
 * aliases send the files vitest transforms there; test/build/react18-resolve.mjs, preloaded into
 * the workers, does the same for what Node loads itself (react-dom 18's own `require("react")`
 * included), so that exactly one React, 18.3, renders every test.
 */
type Project = { test?: { name?: string; include?: string[]; setupFiles?: string | string[] } };
const dom = (base.test?.projects as Project[] | undefined)?.find((project) => project.test?.name === "dom")?.test;
if (!dom?.include) throw new Error('vitest.react18.config.ts: no "dom" project in vite.config.ts');
const include = [...new Set([...dom.include, "test/build/**/*.dom.test.{ts,tsx}"])];

export default defineConfig({
  plugins: base.plugins,
  resolve: {
    alias: [
      { find: /^react(\/.*)?$/, replacement: "react18$1" },
      { find: /^react-dom(\/.*)?$/, replacement: "react-dom18$1" },
    ],
  },
  test: {
    name: "dom-react18",
    globals: true,
    restoreMocks: true,
    unstubGlobals: true,
    environment: "jsdom",
    include,
    setupFiles: dom.setupFiles ?? [],
    execArgv: ["--import", "./test/build/react18-resolve.mjs"],
    env: { SMARTBILLS_REACT_MAJOR: "18" },
  },
});
