import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The web app: sources in src/web, built into dist/web, which the server serves at `/`. */
export default defineConfig({
  root: here('./src/web'),
  plugins: [react()],
  build: { outDir: here('./dist/web'), emptyOutDir: true },
  // `npx vite` during development: the API runs separately (`npm start`, PORT=3000).
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
