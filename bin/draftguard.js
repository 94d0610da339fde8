#!/usr/bin/env node
// Thin entry point: all behaviour lives in dist/cli.cjs (src/cli/main.ts and what it imports,
// bundled), which dist/boot.cjs runs through V8's code cache (src/cli/boot.ts). CommonJS, by
// bin/package.json: Node starts a CommonJS file without its ES module loader (about 6 ms).
"use strict";

require("../dist/boot.cjs")
  .boot(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
