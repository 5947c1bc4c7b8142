/**
 * Bundle sizes of app entries, measured the way an app pays for them: one esbuild build per entry
 * with the same settings for every row, then gzip (level 9) and brotli (quality 11) of the output.
 *
 * Shared by `npm run bench` (prints the table) and `test/build/budgets.test.ts` (holds the budgets).
 */
import { build, type Metafile } from "esbuild";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const ENTRIES_DIR = join(ROOT, "scripts/bench/entries");

/** What every row leaves to the app's own React. */
export const REACT_EXTERNALS = ["react", "react-dom", "react/jsx-runtime"] as const;
/** What an app that already uses react-query does not pay for again. */
export const REACT_QUERY_EXTERNALS = ["@tanstack/react-query", "@tanstack/query-core"] as const;

export interface BundleSize {
  /** Minified bytes. */
  min: number;
  gzip: number;
  brotli: number;
  /** Gzip bytes of the lazy chunks (dynamic imports), loaded only when their feature is used; 0 without any. */
  lazyGzip: number;
  /** The minified start-up code, for content checks (tree shaking). */
  code: string;
  /** The start-up code and every lazy chunk it can load: a feature absent from this is never loaded by the app. */
  allCode: string;
  metafile: Metafile;
}

export interface SizeRow {
  id: string;
  label: string;
  entry: string;
  reactQueryExternal: boolean;
}

/** The rows of the size table, in print order. */
export const SIZE_ROWS: readonly SizeRow[] = [
  { id: "smartbills", label: "@smartbills/react (react-query bundled)", entry: "smartbills.tsx", reactQueryExternal: false },
  { id: "smartbills-rq-external", label: "@smartbills/react (react-query external)", entry: "smartbills.tsx", reactQueryExternal: true },
  { id: "react-oauth2-code-pkce", label: "react-oauth2-code-pkce", entry: "react-oauth2-code-pkce.tsx", reactQueryExternal: false },
  { id: "react-oidc-context", label: "react-oidc-context + oidc-client-ts", entry: "react-oidc-context.tsx", reactQueryExternal: false },
  { id: "axa-fr-react-oidc", label: "@axa-fr/react-oidc", entry: "axa-fr-react-oidc.tsx", reactQueryExternal: false },
  { id: "auth0-react", label: "@auth0/auth0-react", entry: "auth0-react.tsx", reactQueryExternal: false },
  { id: "floor", label: "floor: pkce-challenge + react-query hooks (react-query external)", entry: "floor-pkce-react-query.tsx", reactQueryExternal: true },
  { id: "smartbills-bff", label: "@smartbills/react, the README app in bff mode (react-query external)", entry: "smartbills-bff.tsx", reactQueryExternal: true },
  { id: "smartbills-bff-provider", label: "@smartbills/react, the README app on SmartbillsBffProvider (react-query external)", entry: "smartbills-bff-provider.tsx", reactQueryExternal: true },
  { id: "smartbills-login-button", label: "@smartbills/react, LoginButton only (react-query external)", entry: "smartbills-login-button.tsx", reactQueryExternal: true },
];

/**
 * Strings that exist only in `<Callback/>`'s module: if one is in a bundle, Callback's code is in it.
 * (The first is a default error message, the second the attribute it renders.)
 */
export const CALLBACK_MARKERS = ["Could not finish signing you in", "data-smartbills-callback"] as const;

/**
 * Bundles one entry with the bench's settings (identical for every row) and measures it. Code
 * splitting is on, as in every app bundler (Vite, Next, webpack): what a dynamic `import()` loads
 * (discovery, ending the Smartbills session) is a separate chunk fetched only when used. The size
 * is what the page loads at start: the entry chunk and every chunk it imports statically; the
 * lazy chunks are measured beside it.
 */
export async function measureEntry(entry: string, { reactQueryExternal }: { reactQueryExternal: boolean }): Promise<BundleSize> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ENTRIES_DIR, entry)],
    outdir: join(ROOT, "node_modules/.cache/smartbills-bench", entry.replace(/\.tsx$/, "")),
    write: false,
    bundle: true,
    splitting: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    tsconfigRaw: {},
    external: [...REACT_EXTERNALS, ...(reactQueryExternal ? REACT_QUERY_EXTERNALS : [])],
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
  });
  const outputs = result.metafile.outputs;
  const files = new Map(result.outputFiles.filter((file) => file.path.endsWith(".js")).map((file) => [relative(ROOT, file.path), file]));
  // (Each dynamic import is an entry point of its own too: the app's is the one asked for.)
  const entryPoint = relative(ROOT, join(ENTRIES_DIR, entry));
  const entryName = Object.keys(outputs).find((name) => outputs[name]!.entryPoint === entryPoint && name.endsWith(".js"));
  if (!entryName) throw new Error(`esbuild produced no JavaScript for ${entry}`);
  // The start-up chunks: the entry and what it imports statically, transitively.
  const initial = new Set<string>();
  const visit = (name: string) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const imported of outputs[name]?.imports ?? []) if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
  };
  visit(entryName);
  // The lazy chunks: what the start-up code can still import(), transitively. (esbuild emits a chunk for
  // every dynamic import it saw, also when the code that imports it was tree-shaken away: such a
  // chunk can never load, so it is not counted.)
  const reachable = new Set<string>(initial);
  const reach = (name: string) => {
    for (const imported of outputs[name]?.imports ?? []) {
      if (imported.external || reachable.has(imported.path)) continue;
      reachable.add(imported.path);
      reach(imported.path);
    }
  };
  for (const name of initial) reach(name);
  const text = (names: string[]) => names.map((name) => files.get(name)?.text ?? "").join("\n");
  const initialText = text([...initial]);
  const lazyText = text([...reachable].filter((name) => !initial.has(name)));
  const bytes = Buffer.from(initialText);
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    lazyGzip: lazyText ? gzipSync(Buffer.from(lazyText), { level: 9 }).length : 0,
    code: initialText,
    allCode: initialText + "\n" + lazyText,
    metafile: { ...result.metafile, outputs: Object.fromEntries([...initial].map((name) => [name, outputs[name]!])) },
  };
}

/** Measures every row (in parallel: esbuild is fast and the builds are independent). */
export async function measureAll(rows: readonly SizeRow[] = SIZE_ROWS): Promise<Map<string, BundleSize>> {
  const sizes = await Promise.all(rows.map((row) => measureEntry(row.entry, row)));
  return new Map(rows.map((row, i) => [row.id, sizes[i]!]));
}

export interface ModuleCost {
  /** A package name, or a file of this library's `dist/`. */
  module: string;
  /** Minified bytes this module contributes to the bundle (esbuild's `bytesInOutput`). */
  bytes: number;
}

/** Which modules a bundle's bytes come from, largest first, grouped by npm package outside `dist/`. */
export function moduleCosts(size: BundleSize, { byPackage = true } = {}): ModuleCost[] {
  const inputs = Object.values(size.metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  if (!inputs.length) return [];
  const costs = new Map<string, number>();
  for (const [path, { bytesInOutput }] of inputs) {
    if (bytesInOutput === 0) continue;
    let name = relative(ROOT, join(ROOT, path));
    const inNodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
    if (byPackage && inNodeModules) name = inNodeModules[1]!;
    costs.set(name, (costs.get(name) ?? 0) + bytesInOutput);
  }
  return [...costs].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}
