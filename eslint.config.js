import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "bench/corpus/**", ".scratch/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly", performance: "readonly", setTimeout: "readonly", clearTimeout: "readonly", TextDecoder: "readonly", TextEncoder: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "no-console": "off",
    },
  },
  {
    // bin/ is CommonJS (bin/package.json), so that Node starts it without its ES module loader.
    files: ["bin/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The core never touches the file system, the process or the console.
    files: ["src/text/**", "src/policy/**", "src/engine/**", "src/report/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:fs", "node:fs/*", "fs", "node:child_process", "node:process"] }],
      "no-restricted-globals": ["error", "process", "console"],
    },
  },
);
