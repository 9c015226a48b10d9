import { defineConfig } from 'vite';
import { serviceWorker } from './sw.plugin.js';

/** Served by the platform at /pos/app/ (see apps/server/src/web-app.ts). */
export default defineConfig({
  root: import.meta.dirname,
  base: '/pos/app/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  plugins: [serviceWorker()],
  // `npm run dev -w @tillstream/web`: the API of a platform started with `npx tillstream start`.
  server: { proxy: { '/pos/v1': 'http://127.0.0.1:8080' } },
});
