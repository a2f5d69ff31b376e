import { defineConfig } from 'vite';

// The dev server proxies the API to a local parley (PARLEY_URL, default :8080), so the
// session cookie and the event stream work as they do in production (same origin).
const target = process.env.PARLEY_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // parley's CSP has no 'unsafe-inline': keep every asset a file, never a data: module
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/healthz': { target },
    },
  },
});
