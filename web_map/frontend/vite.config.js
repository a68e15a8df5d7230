// Bundles the map wall and the citizens' pages into web_map/static/web_map (collected by Django's collectstatic).
import {defineConfig} from 'vite';

export default defineConfig({
  base: '/static/web_map/',
  publicDir: 'public',
  build: {
    outDir: '../static/web_map',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {input: {main: 'src/main.js', citizen: 'src/citizen/main.js', imports: 'src/imports/main.js'}}, // the wall; the citizens' pages; the import page
  },
});
