// Run by `npm run bench` through scripts/bench/vitest.config.ts (not part of `npm test`): runs the
// instrumented scenarios against dist/ and writes the numbers to $SMARTBILLS_BENCH_DOM_OUT.
import { writeFileSync } from "node:fs";
import { version } from "react";
import { expect, it } from "vitest";
import { loadDist, runAll } from "./scenarios";

it("measures requests and renders of the built browser entry", async () => {
  const results = await runAll(await loadDist(), version);
  const out = process.env.SMARTBILLS_BENCH_DOM_OUT;
  if (out) writeFileSync(out, JSON.stringify(results, null, 2));
  else console.log(JSON.stringify(results, null, 2));
  expect(results.signIn.signedIn).toBe(true);
});
