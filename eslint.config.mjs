// ESLint flat config: `npm run lint`.
//
// typescript-eslint for TypeScript, react-hooks and Next's own rules for the UI, and
// eslint-plugin-regexp: its super-linear rules are errors everywhere, because one
// backtracking pattern over user input stalls the whole server (issue 10).
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import regexp from "eslint-plugin-regexp";
import globals from "globals";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [".next/**", "node_modules/**", "generated/**", "data/**", "test-results/**", "playwright-report/**", "bench/out/**", "next-env.d.ts", "tmp/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs["flat/recommended"],
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Linear time over any input: these are the rules that would have caught issue 10's stalls.
      "regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
      "regexp/no-super-linear-move": ["error", { ignoreSticky: false, ignorePartial: false }],
      // `_`-prefixed names are deliberately unused (destructuring a field away).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.flat["recommended-latest"].rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      // One link component: components/ui/Link.tsx (an anchor SoftNavigation navigates on the client); the main navigation alone keeps Next's.
      "no-restricted-imports": ["error", { paths: [{ name: "next/link", message: "Use @/components/ui/Link (see its comment)." }] }],
    },
  },
  {
    files: ["components/ui/Link.tsx", "components/shell/Nav.tsx"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tests match whole lines and paths; an unused group there costs nothing and reads better.
    files: ["tests/**", "e2e/**"],
    rules: { "regexp/no-unused-capturing-group": "off" },
  },
);
