#!/usr/bin/env node
// Thin entry point: all behaviour lives in dist/cli.js (src/cli/main.ts and what it imports, bundled).
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2));
