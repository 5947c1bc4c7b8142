/**
 * Budgets on the built package (`dist/`, which `npm test` builds before the tests run): what an
 * app pays in bytes, what the server entry may import, and what the published files must carry.
 * The sizes come from the same esbuild settings as `npm run bench` (scripts/bench/sizes.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import budgets from "../../scripts/bench/budgets.json";
import { CALLBACK_MARKERS, measureAll, moduleCosts, ROOT, SIZE_ROWS, type BundleSize } from "../../scripts/bench/sizes";

const DIST = join(ROOT, "dist");
/** A string only the BFF client has (its session route). */
const BFF_MARKER = "/session";
/** Strings only the token client has: the tab-session hint, the refresh lock, the PKCE verifier field. */
const TOKEN_CLIENT_MARKERS = ["smartbills.session-hint.", "smartbills.refresh.", "code_verifier"];
const distFiles = (dir = DIST): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? distFiles(join(dir, entry.name)) : [join(dir, entry.name)]));

beforeAll(() => {
  if (!existsSync(join(DIST, "index.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does).");
});

const breakdown = (size: BundleSize) =>
  moduleCosts(size)
    .slice(0, 12)
    .map(({ module, bytes }) => `${String(bytes).padStart(7)}  ${module}`)
    .join("\n");

describe("bundle size of an app on @smartbills/react", () => {
  let sizes: Map<string, BundleSize>;
  beforeAll(async () => {
    const ids = ["smartbills", "smartbills-rq-external", "react-oidc-context", "smartbills-login-button", "smartbills-bff", "smartbills-bff-provider"];
    sizes = await measureAll(SIZE_ROWS.filter((row) => ids.includes(row.id)));
  });

  it(`is at most ${budgets.appGzipReactQueryExternal.max} B gzip at start-up when the app already has react-query`, () => {
    const app = sizes.get("smartbills-rq-external")!;
    expect(app.gzip, `minified bytes by module (npm run bench -- --analyze):\n${breakdown(app)}`).toBeLessThanOrEqual(budgets.appGzipReactQueryExternal.max);
    // The lazy chunks exist (sign-in, callback, refresh and logout are loaded when first used) and are counted apart.
    expect(app.lazyGzip).toBeGreaterThan(0);
  });

  it("loads no code of the features the README app does not use: user info is not built in at all, end session and discovery only in chunks fetched on use", () => {
    const app = sizes.get("smartbills-rq-external")!;
    const { useSmartbillsUserInfo, endSession, discovery } = budgets.unusedFeatures.markers;
    expect(app.allCode).not.toContain(useSmartbillsUserInfo);
    for (const marker of [endSession, discovery]) expect(app.code).not.toContain(marker);
  });

  it("loads the backend-for-frontend client only in an app that uses bff (a lazy chunk), never at start-up of the README app", () => {
    expect(sizes.get("smartbills-rq-external")!.code).not.toContain(BFF_MARKER);
    expect(sizes.get("smartbills-bff")!.allCode).toContain(BFF_MARKER);
  });

  it("carries none of the token client in an app on SmartbillsBffProvider, lazy chunks included, and stays far under the budget", () => {
    const bffOnly = sizes.get("smartbills-bff-provider")!;
    for (const marker of TOKEN_CLIENT_MARKERS) expect(bffOnly.allCode, marker).not.toContain(marker);
    // (the markers are real: the README app has them)
    for (const marker of TOKEN_CLIENT_MARKERS) expect(sizes.get("smartbills-rq-external")!.allCode, marker).toContain(marker);
    expect(bffOnly.gzip).toBeLessThan(budgets.appGzipReactQueryExternal.max / 2);
  });

  it("finds those features' markers in the built files that hold them (so their absence above means something)", () => {
    expect(readFileSync(join(DIST, "react/useSmartbillsUserInfo.js"), "utf8")).toContain(budgets.unusedFeatures.markers.useSmartbillsUserInfo);
    expect(readFileSync(join(DIST, "core/endSession.js"), "utf8")).toContain(budgets.unusedFeatures.markers.endSession);
    expect(readFileSync(join(DIST, "core/metadata.js"), "utf8")).toContain(budgets.unusedFeatures.markers.discovery);
  });

  it("is smaller than react-oidc-context + oidc-client-ts with react-query bundled (both measured in this run)", () => {
    const app = sizes.get("smartbills")!;
    const peer = sizes.get(budgets.appGzipReactQueryBundled.lessThan)!;
    expect(peer.gzip).toBeGreaterThan(10_000); // the peer's row really bundled its library
    expect(app.gzip, `minified bytes by module:\n${breakdown(app)}`).toBeLessThan(peer.gzip);
  });

  it("drops developer-only explanations from a production bundle, and keeps the codes and the prop names", () => {
    const app = sizes.get("smartbills-rq-external")!.code;
    // A config explanation and a flow explanation, both behind DEV in src/core.
    expect(app).not.toContain("pass your app's client id");
    expect(app).not.toContain("the user must sign in");
    expect(app).toContain("login_required");
    expect(app).toContain("clientId");
  });

  it("leaves Callback's code out of an app that imports only LoginButton", () => {
    const loginOnly = sizes.get("smartbills-login-button")!.code;
    for (const marker of CALLBACK_MARKERS) expect(loginOnly).not.toContain(marker);
  });

  it("finds Callback's markers in the full app (so their absence above means something)", () => {
    const app = sizes.get("smartbills")!.code;
    for (const marker of CALLBACK_MARKERS) expect(app).toContain(marker);
  });
});

/** The static and dynamic import specifiers of a built ES module. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm),
    ...source.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return specifiers.map((m) => m[1]!);
}

/** Every module reachable from `entry` through relative imports, and every bare specifier they import. */
function importGraph(entry: string): { files: string[]; bare: string[] } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else bare.add(specifier);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(DIST, f)).sort(), bare: [...bare].sort() };
}

describe("the server entry's built files", () => {
  it("import no React, no react-query and nothing of the browser layer", () => {
    const { files, bare } = importGraph(join(DIST, "server.js"));
    expect(files.length).toBeGreaterThan(1);
    expect(bare.filter((s) => /^(react|react-dom|@tanstack\/)(\/|$)/.test(s))).toEqual([]);
    expect(files.filter((f) => /^(react|testing)\//.test(f))).toEqual([]);
  });

  it("never reads process.env (worker runtimes have no process): core/dev.js is browser-only", () => {
    const { files } = importGraph(join(DIST, "server.js"));
    expect(files).not.toContain("core/dev.js");
    const code = (file: string) => readFileSync(join(DIST, file), "utf8").replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, "");
    for (const file of files) expect(code(file), file).not.toMatch(/\bprocess\.env\b/);
  });

  it("is found by the graph walk (it sees the browser entry's react imports)", () => {
    expect(importGraph(join(DIST, "index.js")).bare).toEqual(expect.arrayContaining(["react", "@tanstack/react-query"]));
  });
});

/** The source without leading whitespace and comments. */
const withoutLeadingComments = (source: string) => source.replace(/^(?:\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, "");

describe("the client entries' built files", () => {
  it.each(["index.js", "testing.js"])('dist/%s starts with the "use client" directive', (file) => {
    const source = withoutLeadingComments(readFileSync(join(DIST, file), "utf8"));
    expect(source).toMatch(/^(["'])use client\1;?\s*\n/);
  });

  it("dist/server.js has no \"use client\" directive", () => {
    expect(readFileSync(join(DIST, "server.js"), "utf8")).not.toMatch(/["']use client["']/);
  });
});

/** A file of only a directive, imports and re-exports (an entry file): it has no code of its own to map. */
const isReexportOnly = (source: string) =>
  withoutLeadingComments(source)
    .replace(/^(["'])use client\1;?/, "")
    .replace(/(?:import|export)\s[^;]*?\bfrom\s*["'][^"']+["'];?/g, "")
    .replace(/export\s*\{[^}]*\};?/g, "")
    .trim() === "";

describe("source maps", () => {
  const jsFiles = distFiles().filter((f) => f.endsWith(".js"));
  const withCode = jsFiles.filter((f) => !isReexportOnly(readFileSync(f, "utf8")));

  it("exist for every built module with code of its own", () => {
    expect(withCode.length).toBeGreaterThan(20);
    const missing = withCode.filter((f) => {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(f, "utf8"))?.[1];
      return !url || !existsSync(join(dirname(f), url));
    });
    expect(missing.map((f) => relative(DIST, f))).toEqual([]);
  });

  it("carry their sources' content (src/ is not published)", () => {
    for (const file of withCode) {
      const map = JSON.parse(readFileSync(`${file}.map`, "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, relative(DIST, file)).toBe(map.sources.length);
      expect(map.sourcesContent!.every((content) => typeof content === "string" && content.length > 0), relative(DIST, file)).toBe(true);
    }
  });
});

describe("package.json exports", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { type?: string; exports: Record<string, string | Record<string, string>> };

  it("is ESM only", () => {
    expect(pkg.type).toBe("module");
  });

  it.each([".", "./server", "./testing"])("%s has types listed first and both files built", (subpath) => {
    const target = pkg.exports[subpath] as Record<string, string>;
    expect(Object.keys(target)[0]).toBe("types");
    expect(existsSync(join(ROOT, target.types!))).toBe(true);
    expect(existsSync(join(ROOT, target.default!))).toBe(true);
  });
});
