import type { Decorator } from "@storybook/react-vite";
import { MockSmartbillsProvider, type MockSmartbillsProviderProps } from "../../src/testing.js";

/**
 * Wraps a story in `MockSmartbillsProvider` (the `@smartbills/react/testing` entry), configured by
 * the story's `parameters.smartbills`: signed in or out, an error, recorded `login` calls. No
 * network, no authorization server, and `login()` never leaves the page: it only records the call
 * and marks the session as redirecting.
 */
export const withMockSmartbills: Decorator = (Story, { parameters }) => {
  const props = (parameters.smartbills ?? {}) as Omit<MockSmartbillsProviderProps, "children">;
  return (
    <MockSmartbillsProvider {...props}>
      <Story />
    </MockSmartbillsProvider>
  );
};
