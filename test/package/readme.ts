// The README's code blocks, for the package tests that compile (TypeScript) or run (Luau) them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./packing";

export interface Block {
	lang: "ts" | "lua";
	code: string;
	/** 1-based line of the opening fence, for file names and failure messages. */
	line: number;
}

export function readmeBlocks(): Block[] {
	const text = readFileSync(join(ROOT, "README.md"), "utf8");
	const blocks: Block[] = [];
	const fence = /^```(ts|typescript|lua|luau)\n([\s\S]*?)^```$/gm;
	for (const match of text.matchAll(fence)) {
		const line = text.slice(0, match.index).split("\n").length;
		blocks.push({ lang: match[1].startsWith("t") ? "ts" : "lua", code: match[2], line });
	}
	return blocks;
}

/** A block meant for a client: its path comment says so, or it starts the client module. */
export function isClientBlock(block: Block): boolean {
	const firstLine = block.code.split("\n")[0];
	return /client/i.test(firstLine) || /Notices[.:]start|PlaywaveNotices\.start/.test(block.code);
}
