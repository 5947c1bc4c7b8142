import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

/**
 * One config for the library build and the unit/component tests.
 *
 * The build keeps one output file per source file (`preserveModules`) so the three entries share
 * modules: `@smartbills/react/testing` must use the very same React context object as the hooks of
 * `@smartbills/react`, which a second bundled copy would break.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: "es2022",
    lib: {
      entry: {
        index: "src/index.ts",
        server: "src/server.ts",
        testing: "src/testing.ts",
        // Node only, never reached from the browser entry (test/examples/devServerNotInBrowser.test.ts checks dist/).
        devServer: "src/devServer.ts",
        "dev-server/bin": "src/dev-server/bin.ts",
      },
      formats: ["es"],
    },
    rollupOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, "pkce-challenge", /^node:/, "oidc-provider"],
      output: {
        preserveModules: true,
        preserveModulesRoot: "src",
        entryFileNames: "[name].js",
        // Keep `const`: consumers' minifiers inline top-level constants across modules (DEV above all,
        // which drops developer-only text from production bundles) only when they are `const`.
        topLevelVar: false,
      },
    },
  },
  test: {
    globals: true,
    restoreMocks: true,
    unstubGlobals: true,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["test/core/**/*.test.ts", "test/server/**/*.test.ts", "test/dev/**/*.test.ts", "test/build/**/*.test.ts", "test/ssr/**/*.test.{ts,tsx}", "test/examples/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "dom",
          environment: "jsdom",
          include: ["test/react/**/*.test.{ts,tsx}", "test/testing/**/*.test.{ts,tsx}", "test/dom/**/*.test.{ts,tsx}", "test/build/**/*.dom.test.{ts,tsx}", "test/stories/**/*.test.tsx"],
          setupFiles: ["test/setup-dom.ts"],
        },
      },
    ],
  },
});
