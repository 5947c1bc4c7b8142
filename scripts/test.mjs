#!/usr/bin/env node
// `npm test`: typecheck, build, every unit/component test, then the browser tests in Chromium.
// Without a browser on a developer's machine, the browser tests are skipped with a loud line;
// under CI=true a missing browser fails the run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = (label, command, args, env = {}) => {
  const started = Date.now();
  console.log(`\n▶ ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env }, shell: process.platform === "win32" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${label} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${label} (${seconds}s)`);
};

const npx = "npx";
// Build first: the budget tests and the bench entries import the package by its own name (dist/).
run("build", "npm", ["run", "--silent", "build"]);
run("typecheck", npx, ["tsc", "-p", "tsconfig.json", "--noEmit"]);
run("unit, component and budget tests", npx, ["vitest", "run"]);
run("component tests on React 18.3", npx, ["vitest", "run", "--config", "vitest.react18.config.ts"]);
run("package check (publint, attw)", "node", ["scripts/check-package.mjs"]);

const chrome = process.env.CHROME_PATH || "/usr/bin/chromium";
if (existsSync(chrome)) {
  run("browser tests (Chromium)", npx, ["vitest", "run", "--config", "vitest.e2e.config.ts"], { CHROME_PATH: chrome });
} else if (process.env.CI === "true") {
  console.error(`\n✖ No Chromium at ${chrome}. CI must run the browser tests: install it (apt-get install -y chromium) or set CHROME_PATH.`);
  process.exit(1);
} else {
  console.warn("\n" + "!".repeat(100));
  console.warn(`!!! BROWSER TESTS SKIPPED: no Chromium at ${chrome}.`);
  console.warn("!!! Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROME_PATH, then run npm test again.");
  console.warn("!".repeat(100));
}
