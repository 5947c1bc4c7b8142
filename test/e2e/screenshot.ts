/**
 * Takes a screenshot of the demo's signed-in dashboard, for docs and reviews:
 *
 *   npx tsx test/e2e/screenshot.ts [out.png] [--app http://127.0.0.1:5173]
 *
 * With `--app` it signs in to an already running `npm run demo`; without, it starts its own stack.
 */
import { parseArgs } from "node:util";
import { startDemo, type DemoStack } from "../../demo/start";
import { launchChromium } from "./browser";
import { WAIT_MS } from "./helpers";

const { values, positionals } = parseArgs({ options: { app: { type: "string" } }, allowPositionals: true });
const out = positionals[0] ?? "/tmp/demo-dashboard.png";

let stack: DemoStack | undefined;
const appUrl = values.app ?? (stack = await startDemo({ appPort: 0, logLevel: "error", hotReload: false })).appUrl;
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(`${appUrl}/dashboard`);
  await page.locator("input[name=login]").fill("alice");
  await page.locator("input[name=password]").fill("any password");
  await page.locator("button[type=submit]").click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByTestId("me-name").waitFor();
  await page.getByTestId("account-option-acct_bakery").check();
  await page.locator("[data-testid=me-account][data-account-id=acct_bakery]").waitFor();
  await page.getByTestId("call-api").click();
  await page.getByTestId("api-result").waitFor();
  await page.waitForTimeout(1_500); // let the countdown tick
  await page.screenshot({ path: out, fullPage: true });
  console.log(`Saved ${out}`);
} finally {
  await browser.close();
  await stack?.close();
}
