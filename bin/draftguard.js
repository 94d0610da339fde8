#!/usr/bin/env node
// Thin entry point: all behaviour lives in dist/cli.cjs (src/cli/main.ts and what it imports,
// bundled), which dist/boot.js runs through V8's code cache (src/cli/boot.ts).
import { boot } from "../dist/boot.js";

process.exitCode = await boot(process.argv.slice(2));
