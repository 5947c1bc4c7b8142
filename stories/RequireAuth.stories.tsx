import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, waitFor } from "storybook/test";
import { RequireAuth, SmartbillsAuthError } from "../src/index.js";
import { withMockSmartbills } from "./support/withMockSmartbills.js";

const recordLogin = fn().mockName("login");

function Invoices() {
  return (
    <main>
      <h2>Your invoices</h2>
      <ul>
        <li>INV-1042 — paid</li>
        <li>INV-1043 — due in 5 days</li>
      </ul>
    </main>
  );
}

/**
 * `<RequireAuth>` renders its children for a signed-in user; otherwise it starts the sign-in and
 * shows the `fallback` meanwhile. Shown with `MockSmartbillsProvider`, which records the login.
 */
const meta = {
  title: "Components/RequireAuth",
  component: RequireAuth,
  decorators: [withMockSmartbills],
  args: {
    fallback: <p role="status">Redirecting to Smartbills to sign you in…</p>,
    children: <Invoices />,
  },
} satisfies Meta<typeof RequireAuth>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Signed in: the protected page renders. */
export const SignedIn: Story = {
  parameters: { smartbills: { signedIn: true } },
};

/** Signed out: the fallback shows, and the sign-in starts with `returnTo` = the current page. */
export const SignedOut: Story = {
  parameters: { smartbills: { signedIn: false, onLogin: recordLogin } },
  beforeEach: () => {
    recordLogin.mockClear();
  },
  play: async () => {
    await waitFor(() => expect(recordLogin).toHaveBeenCalledTimes(1));
    const returnTo = (recordLogin.mock.calls[0]?.[0] as { returnTo?: string } | undefined)?.returnTo;
    await expect(returnTo).toBe(`${window.location.pathname}${window.location.search}${window.location.hash}`);
  },
};

/** Offline (`network_error`): the fallback stays, with no bounce to a sign-in page that cannot load. */
export const Offline: Story = {
  args: { fallback: <p role="status">You are offline. We will sign you back in when the connection returns.</p> },
  parameters: {
    smartbills: {
      signedIn: false,
      onLogin: recordLogin,
      error: new SmartbillsAuthError("network_error", { description: "The request failed before any answer arrived." }),
    },
  },
  beforeEach: () => {
    recordLogin.mockClear();
  },
  play: async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(recordLogin).not.toHaveBeenCalled();
  },
};
