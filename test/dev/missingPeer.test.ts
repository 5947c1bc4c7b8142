// oidc-provider is an optional peer: without it, importing the dev-server entry fails with one line
// that says what to install (and any other import failure stays as it was).
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { MISSING_PROVIDER_MESSAGE, providerImportError } from "../../src/dev-server/missingPeer";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const hook = fileURLToPath(new URL("./fixtures/withoutOidcProvider.mjs", import.meta.url));

/** Node's own error for `import("oidc-provider")` from a folder where it is not installed. */
async function realMissingError(): Promise<{ code: string; message: string }> {
  const script = `import("oidc-provider").catch((e) => process.stdout.write(JSON.stringify({ code: e.code, message: e.message })))`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: tmpdir() });
  return JSON.parse(stdout) as { code: string; message: string };
}

describe("providerImportError", () => {
  it("maps Node's real 'cannot find oidc-provider' to the one-line install message", async () => {
    const real = await realMissingError();
    expect(real.code).toBe("ERR_MODULE_NOT_FOUND");
    const mapped = providerImportError(Object.assign(new Error(real.message), { code: real.code }));
    expect(mapped).toBeInstanceOf(Error);
    expect((mapped as Error).message).toBe(MISSING_PROVIDER_MESSAGE);
    expect(MISSING_PROVIDER_MESSAGE).not.toContain("\n");
    expect(MISSING_PROVIDER_MESSAGE).toContain("npm install --save-dev oidc-provider");
  });

  it("keeps other failures as they are: a missing dependency of oidc-provider, a syntax error, a non-error", () => {
    const dependency = Object.assign(new Error("Cannot find package 'koa' imported from /app/node_modules/oidc-provider/lib/index.js"), { code: "ERR_MODULE_NOT_FOUND" });
    expect(providerImportError(dependency)).toBe(dependency);
    const syntax = new SyntaxError("Unexpected token in oidc-provider");
    expect(providerImportError(syntax)).toBe(syntax);
    expect(providerImportError("boom")).toBe("boom");
    expect(providerImportError(null)).toBe(null);
  });
});

describe("importing @smartbills/react/dev-server without oidc-provider", () => {
  it("fails at import with the one line, whatever the app then calls", async () => {
    const script = `import("./src/devServer.ts").then(() => process.stdout.write("imported"), (e) => { process.stderr.write(e.message); process.exitCode = 3; })`;
    const result = await run(process.execPath, ["--import", "tsx", "--import", hook, "--input-type=module", "-e", script], { cwd: root }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result).toMatchObject({ code: 3, stdout: "" });
    expect((result as { stderr: string }).stderr.trim()).toBe(MISSING_PROVIDER_MESSAGE);
  }, 30_000);

  it("imports fine when oidc-provider is there (the same command without the hook)", async () => {
    const script = `import("./src/devServer.ts").then((m) => process.stdout.write(typeof m.startSmartbillsDevServer))`;
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root });
    expect(stdout).toBe("function");
  }, 30_000);
});
