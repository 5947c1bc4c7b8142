import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { expect, userEvent, within } from "storybook/test";
import { Callback, RequireAuth, SmartbillsProvider, useSmartbillsLogin } from "../src/index.js";
import { createFakeAuthorizationServer } from "./support/fakeAuthorizationServer.js";
import { prepareCallback, STORY_CLIENT_ID, STORY_EXCHANGE_ENDPOINT, type PreparedCallback } from "./support/prepareCallback.js";
import { SignedInPanel } from "./support/SignedInPanel.js";
import "./support/stories.css";

/** How long the fake exchange takes, so the "Signing in…" step can be seen. */
const EXCHANGE_DELAY_MS = 600;

/**
 * A whole app in a story: a home page, the callback route and a protected page, switched by a
 * tiny in-memory router (`onRedirectCallback` navigates it, as `navigate` would in React Router).
 * The provider is the real one; only the network is faked.
 */
function DemoApp({ initialPath, redirectUri, fallbackFetch }: { initialPath: string; redirectUri: string; fallbackFetch?: typeof fetch }) {
  const [path, setPath] = useState(initialPath);
  const [server] = useState(() => createFakeAuthorizationServer({ delayMs: EXCHANGE_DELAY_MS, ...(fallbackFetch && { fallback: fallbackFetch }) }));
  return (
    <SmartbillsProvider
      clientId={STORY_CLIENT_ID}
      exchangeEndpoint={STORY_EXCHANGE_ENDPOINT}
      redirectUri={redirectUri}
      storage="memory"
      fetch={server.fetch}
      onRedirectCallback={setPath}
    >
      <main className="callback-card">
        {path === "/" && <Home onAuthorize={(url) => (server.authorize(url), setPath("/callback"))} />}
        {path === "/callback" && <Callback loading={<p>Signing you in…</p>} />}
        {path !== "/" && path !== "/callback" && (
          <RequireAuth fallback={<p role="status">Redirecting to Smartbills…</p>}>
            <SignedInPanel path={path} />
          </RequireAuth>
        )}
      </main>
    </SmartbillsProvider>
  );
}

/** The signed-out home page. Its button hands the authorize URL to the fake server instead of leaving the page. */
function Home({ onAuthorize }: { onAuthorize: (authorizeUrl: string) => void }) {
  const { login, isRedirecting } = useSmartbillsLogin();
  return (
    <>
      <h2>Welcome</h2>
      <p>Sign in to see your invoices.</p>
      <button
        type="button"
        className="brand-button"
        aria-busy={isRedirecting || undefined}
        onClick={() => void login({ returnTo: "/invoices", openUrl: onAuthorize })}
      >
        Sign in with Smartbills
      </button>
    </>
  );
}

const meta = {
  title: "Flows/Sign-in",
  parameters: { layout: "centered" },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Back from Smartbills: the loader leaves a pending login in sessionStorage and `?code&state` in the
 * address bar; `<Callback/>` checks them, the faked exchange endpoint answers a token, and the user
 * lands on the protected page the login started from.
 */
export const BackFromSmartbills: Story = {
  loaders: [prepareCallback({ exchange: "token", exchangeDelayMs: EXCHANGE_DELAY_MS, returnTo: "/invoices" })],
  render: (_args, { loaded }) => {
    const { callback } = loaded as { callback: PreparedCallback };
    return <DemoApp initialPath="/callback" redirectUri={callback.redirectUri} fallbackFetch={callback.fetch} />;
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole("heading", { name: "Signed in" }, { timeout: 5000 })).toBeVisible();
    await expect(window.location.search).not.toMatch(/[?&](code|state)=/);
  },
};

/**
 * The round trip from the first click: `login()` makes the PKCE pair and `state`, the fake
 * authorization server approves, `<Callback/>` redeems the code with the verifier (the fake checks
 * it against the S256 challenge), and the user is signed in on `/invoices`.
 */
export const RoundTrip: Story = {
  render: () => {
    const redirectUri = `${window.location.origin}${window.location.pathname}`;
    return <DemoApp initialPath="/" redirectUri={redirectUri} />;
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Sign in with Smartbills" }));
    await expect(await canvas.findByRole("heading", { name: "Signed in" }, { timeout: 5000 })).toBeVisible();
    await expect(canvas.getByText("/invoices")).toBeVisible();
  },
};
