#!/usr/bin/env node
/// <reference types="node" />
/**
 * The `smartbills-dev-server` command (see ./cli.ts): `npx smartbills-dev-server --client-id … --redirect-uri …`.
 */
import { runCli } from "./cli.js";

const code = await runCli(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  onStop: (stop) => {
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
});
// Pipes are written synchronously on POSIX, so nothing printed is lost.
process.exit(code);
