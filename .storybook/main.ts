import type { StorybookConfig } from "@storybook/react-vite";

/**
 * Storybook for the components of `@smartbills/react`, with the Vite builder.
 *
 * The stories import the library from `src/` (not `dist/`), so they show the code under work. The
 * builder reuses the repository's `vite.config.ts` for its plugins and drops its library `build`
 * section. Telemetry is off: CI and the sandboxes here have no network.
 */
const config: StorybookConfig = {
  stories: ["../stories/**/*.stories.@(ts|tsx)"],
  framework: { name: "@storybook/react-vite", options: { strictMode: true } },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: false },
};

export default config;
