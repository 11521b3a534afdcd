import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The dashboard builds to `dist/`, which the server serves; workspace packages resolve to their sources. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: { conditions: ['@vigil/source', 'browser', 'module', 'import', 'default'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  logLevel: 'warn',
});
