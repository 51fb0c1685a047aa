import tsParser from "@typescript-eslint/parser";
import tsPlugin from "@typescript-eslint/eslint-plugin";
import robloxTs from "eslint-plugin-roblox-ts";

export default [
	{ ignores: ["out/**", "include/**", "node_modules/**", "build/**"] },
	{
		// SDK source: compiled by roblox-ts, so the roblox-ts rules apply.
		files: ["src/**/*.ts"],
		languageOptions: {
			parser: tsParser,
			parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
		},
		plugins: { "roblox-ts": robloxTs, "@typescript-eslint": tsPlugin },
		rules: {
			...robloxTs.configs.recommended.rules,
			"@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
			"@typescript-eslint/no-floating-promises": "error",
			"no-debugger": "error",
		},
	},
	{
		// One concern a file (issue #13): product files stay short (250 lines of code; TSDoc and blank
		// lines do not count). A file that grows past it is split by concern, as session/ and server/ were.
		files: ["src/**/*.ts"],
		ignores: ["src/**/*.spec.ts"],
		rules: {
			"max-lines": ["error", { max: 250, skipBlankLines: true, skipComments: true }],
		},
	},
	{
		// Node side: the headless runtime, the spec runner, tools.
		files: ["test/**/*.ts", "demo/**/*.ts", "bench/**/*.ts", "scripts/**/*.mjs"],
		languageOptions: { parser: tsParser },
		plugins: { "@typescript-eslint": tsPlugin },
		rules: {
			"@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
			"no-debugger": "error",
		},
	},
];
