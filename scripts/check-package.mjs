#!/usr/bin/env node
// The package as npm would publish it, checked the way consumers' tools see it:
// - publint (strict): package.json fields, exports, files, formats;
// - @arethetypeswrong/cli on the packed tarball, esm-only profile (the package is ESM only, so
//   CommonJS `require` and node10 resolution are out of scope): types resolve for every entry
//   under node16/nodenext and bundler resolution, and match the JavaScript;
// - every "bin" starts with a node shebang (the dev server's smartbills-dev-server).
// Exits non-zero on any publint error or warning, or any attw problem. Run after `npm run build`.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
let failed = false;

console.log("▶ publint --strict");
const { messages } = await publint({ pkgDir: root, strict: true, level: "suggestion", pack: "npm" });
for (const message of messages) {
  const line = formatMessage(message, pkg) ?? message.code;
  console.log(`  ${message.type}: ${line}`);
  if (message.type !== "suggestion") failed = true;
}
if (messages.length === 0) console.log("  no problems");

console.log("\n▶ attw --pack . --profile esm-only");
// JSON goes to a file: piped, a large report can be cut short when attw exits.
const scratch = mkdtempSync(join(tmpdir(), "check-package-"));
const reportFile = join(scratch, "attw.json");
const out = openSync(reportFile, "w");
const attw = spawnSync("npx", ["--no-install", "attw", "--pack", ".", "--profile", "esm-only", "--format", "json"], {
  cwd: root,
  stdio: ["ignore", out, "inherit"],
  shell: process.platform === "win32",
});
closeSync(out);
let report;
try {
  report = JSON.parse(readFileSync(reportFile, "utf8"));
} catch {
  report = null;
}
rmSync(scratch, { recursive: true, force: true });
if (!report?.analysis) {
  console.log(`  attw gave no report (exit ${attw.status})`);
  failed = true;
} else {
  // The esm-only profile ignores node10 and node16 CommonJS resolution; so does this summary.
  const IGNORED_KINDS = new Set(["node10", "node16-cjs"]);
  const ESM_MODE = 99; // ts.ModuleKind.ESNext: the importing declaration file is read as ESM
  const problems = report.analysis.problems.filter((p) =>
    p.resolutionKind ? !IGNORED_KINDS.has(p.resolutionKind) : p.resolutionMode === undefined || p.resolutionMode === ESM_MODE,
  );
  for (const { kind, entrypoint, resolutionKind } of problems.filter((p) => p.entrypoint)) console.log(`  ${kind}: "${entrypoint}" under ${resolutionKind}`);
  const unresolved = [
    ...new Set(
      problems.filter((p) => p.kind === "InternalResolutionError").map((p) => `${p.fileName.replace(/^\/node_modules\/(@[^/]+\/)?[^/]+\//, "")}: "${p.moduleSpecifier}"`),
    ),
  ];
  if (unresolved.length) {
    console.log(`  InternalResolutionError under node16/nodenext (ESM): ${unresolved.length} imports in the published .d.ts files do not resolve:`);
    for (const line of unresolved) console.log(`    ${line}`);
  }
  const other = problems.filter((p) => !p.entrypoint && p.kind !== "InternalResolutionError");
  for (const p of other) console.log(`  ${p.kind}: ${JSON.stringify(p).slice(0, 200)}`);
  if (problems.length === 0) console.log("  no problems");
  if (problems.length > 0 || attw.status !== 0) failed = true;
}

// The bin runs as a script (npm links it, the shell reads the first line): it must start with a shebang.
console.log("\n▶ bin");
for (const [name, file] of Object.entries(pkg.bin ?? {})) {
  let first = "";
  try {
    first = readFileSync(join(root, file), "utf8").split("\n", 1)[0];
  } catch {
    first = "(missing: run npm run build)";
  }
  const ok = first === "#!/usr/bin/env node";
  console.log(`  ${ok ? "ok" : "problem"}: ${name} → ${file} ${ok ? "" : `starts with ${JSON.stringify(first)}`}`.trimEnd());
  if (!ok) failed = true;
}

if (failed) {
  console.error("\n✖ package check failed: see the problems above");
  process.exit(1);
}
console.log("\n✔ publint and attw: no problems");
