import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { Callback, LoginButton, SmartbillsAuthError, SmartbillsProvider, type CallbackProps } from "../src/index.js";
import { prepareCallback, STORY_CLIENT_ID, STORY_EXCHANGE_ENDPOINT, type PreparedCallback } from "./support/prepareCallback.js";
import { SignedInPanel } from "./support/SignedInPanel.js";
import { withMockSmartbills } from "./support/withMockSmartbills.js";
import "./support/stories.css";

/**
 * The page at the redirect URI, as a real `SmartbillsProvider` runs it: each story's loader leaves
 * a pending login in sessionStorage and Smartbills' answer in the address bar, and the provider's
 * `fetch` plays the exchange endpoint. When the sign-in succeeds, the provider's
 * `onRedirectCallback` takes the user to the page the login started from.
 */
function CallbackPage({ callback, ...props }: CallbackProps & { callback: PreparedCallback }) {
  const [returnedTo, setReturnedTo] = useState<string | null>(null);
  return (
    <SmartbillsProvider
      clientId={STORY_CLIENT_ID}
      exchangeEndpoint={STORY_EXCHANGE_ENDPOINT}
      redirectUri={callback.redirectUri}
      storage="memory"
      fetch={callback.fetch}
      onRedirectCallback={setReturnedTo}
    >
      <main className="callback-card">{returnedTo === null ? <Callback {...props} /> : <SignedInPanel path={returnedTo} />}</main>
    </SmartbillsProvider>
  );
}

const meta = {
  title: "Components/Callback",
  component: Callback,
  render: (args, { loaded }) => <CallbackPage {...args} callback={(loaded as { callback: PreparedCallback }).callback} />,
} satisfies Meta<typeof Callback>;

export default meta;
type Story = StoryObj<typeof meta>;

/** While the code is exchanged: "Signing in…", announced politely (`role="status"`). This exchange never answers. */
export const Loading: Story = {
  loaders: [prepareCallback({ exchange: "hang" })],
};

/** A loading view of your own; it is still wrapped in the `role="status"` region. */
export const CustomLoading: Story = {
  loaders: [prepareCallback({ exchange: "hang" })],
  args: {
    loading: (
      <p>
        <span className="spinner" aria-hidden="true" />
        Finishing your sign-in with Smartbills…
      </p>
    ),
  },
};

/** The exchange succeeds: the token is stored, the code leaves the address bar, and the user is back where the login started. */
export const Success: Story = {
  loaders: [prepareCallback({ exchange: "token", returnTo: "/invoices" })],
};

/** `state_mismatch`: the answer belongs to a different login than the one pending in this tab (a forged or crossed response). */
export const StateMismatch: Story = {
  loaders: [prepareCallback({ pending: "other" })],
};

/** `missing_transaction`: no login is pending at all (a new tab, cleared storage, a bookmarked or replayed callback URL). */
export const MissingTransaction: Story = {
  loaders: [prepareCallback({ pending: "none" })],
};

/** `missing_code`: the answer carries neither a code nor an error. */
export const MissingCode: Story = {
  loaders: [prepareCallback({ response: ({ state }) => [["state", state]] })],
};

/** `invalid_callback`: the answer is malformed (here, a repeated `code`). */
export const InvalidCallback: Story = {
  loaders: [
    prepareCallback({
      response: ({ code, state }) => [
        ["code", code],
        ["code", "another-code"],
        ["state", state],
      ],
    }),
  ],
};

/** `issuer_mismatch`: the answer's `iss` is not the configured issuer (RFC 9207 mix-up defence). */
export const IssuerMismatch: Story = {
  loaders: [
    prepareCallback({
      response: ({ code, state }) => [
        ["code", code],
        ["state", state],
        ["iss", "https://login.attacker.example"],
      ],
    }),
  ],
};

/** `access_denied`, with the server's `error_description`: the user cancelled or refused. */
export const AccessDenied: Story = {
  loaders: [
    prepareCallback({
      response: ({ state }) => [
        ["error", "access_denied"],
        ["error_description", "The user cancelled the sign-in."],
        ["state", state],
      ],
    }),
  ],
};

/** `exchange_failed`: the exchange endpoint refused the code (here `invalid_grant`: expired or used already). */
export const ExchangeFailed: Story = {
  loaders: [prepareCallback({ exchange: "invalid_grant" })],
};

/** `invalid_response`: the exchange endpoint answered with something other than token JSON (an SPA fallback page). */
export const InvalidResponse: Story = {
  loaders: [prepareCallback({ exchange: "html" })],
};

/** `network_error`: the exchange request got no answer at all (offline, DNS, CORS). */
export const NetworkError: Story = {
  loaders: [prepareCallback({ exchange: "offline" })],
};

/**
 * An error view of your own, with a way out: it stays inside the `role="alert"` region, and offers
 * a real button to start over. Shown with `MockSmartbillsProvider`'s `error`.
 */
export const CustomErrorView: Story = {
  decorators: [withMockSmartbills],
  parameters: {
    smartbills: {
      signedIn: false,
      error: new SmartbillsAuthError("access_denied", { description: "The user cancelled the sign-in." }),
    },
  },
  render: (args) => (
    <main className="callback-card">
      <Callback {...args} />
    </main>
  ),
  args: {
    error: (error) => (
      <>
        <h2>We could not sign you in</h2>
        <p>{error.code === "access_denied" ? "You cancelled the sign-in at Smartbills." : (error.description ?? "Something went wrong.")}</p>
        <LoginButton className="brand-button">Try again</LoginButton>
      </>
    ),
  },
};
