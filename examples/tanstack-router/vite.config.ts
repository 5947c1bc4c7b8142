import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  // Your backend serves the exchange endpoint (see @smartbills/react/server); in development, proxy to it.
  server: { proxy: { "/api/smartbills": "http://127.0.0.1:8787" } },
});
