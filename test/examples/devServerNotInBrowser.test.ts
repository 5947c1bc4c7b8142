import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The dev server (Node only, on oidc-provider) is never part of a browser bundle: no module that the
 * browser entry dist/index.js can load, statically or lazily, is under dev-server/ or names
 * oidc-provider. The same for the server and testing entries, which run in browsers' test runners
 * and edge runtimes. Needs `npm run build` (npm test runs it first).
 */
const dist = fileURLToPath(new URL("../../dist/", import.meta.url));

/** Every dist module reachable from `entry` through relative `import … from "./x.js"` and `import("./x.js")`. */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const code = readFileSync(file, "utf8");
    seen.set(file, code);
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g)) visit(join(dirname(file), match[1]!));
  };
  visit(join(dist, entry));
  return seen;
}

beforeAll(() => {
  if (!existsSync(join(dist, "devServer.js"))) throw new Error("dist/ is missing or stale: run `npm run build` first.");
});

describe.each(["index.js", "server.js", "testing.js"])("dist/%s", (entry) => {
  it("reaches no dev-server module and never names oidc-provider", () => {
    const modules = reachable(entry);
    expect(modules.size).toBeGreaterThan(entry === "index.js" ? 10 : 2); // the walk followed the imports
    const files = [...modules.keys()].map((file) => relative(dist, file));
    expect(files.filter((file) => file.startsWith("dev-server/") || file === "devServer.js")).toEqual([]);
    expect(files.filter((file) => /oidc-provider|startSmartbillsDevServer/.test(modules.get(join(dist, file))!))).toEqual([]);
  });
});

it("the walk does find the dev server from its own entry (so the checks above can fail)", () => {
  const files = [...reachable("devServer.js").keys()].map((file) => relative(dist, file));
  expect(files).toContain("dev-server/server.js");
  expect(files.some((file) => /oidc-provider/.test(readFileSync(join(dist, file), "utf8")))).toBe(true);
});
