#!/usr/bin/env node
// Thin entry point: all behaviour lives in dist/cli/main.js (compiled from src/cli/main.ts).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
