// Every code block of the README that uses the package, checked the way its readers would use it:
// TypeScript blocks compiled by rbxtsc in a fresh roblox-ts game against the packed tarball, Luau blocks
// run in the headless runtime against the Wally build (client blocks loaded: the runtime has no client).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { harness } from "../e2e/fixtures";
import { cleanUp, compileRbxtsGame, freshRbxtsGame, installWallyPackage, packed, ROOT, scratchDir } from "./packing";

interface Block {
	lang: "ts" | "lua";
	code: string;
	/** 1-based line of the opening fence, for failure messages. */
	line: number;
}

function readmeBlocks(): Block[] {
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
function isClient(block: Block): boolean {
	const firstLine = block.code.split("\n")[0];
	return /client/i.test(firstLine) || /Notices[.:]start|PlaywaveNotices\.start/.test(block.code);
}

after(cleanUp);

test("every TypeScript block that imports the package compiles in a fresh roblox-ts game against the tarball", () => {
	const blocks = readmeBlocks().filter((b) => b.lang === "ts");
	const using = blocks.filter((b) => b.code.includes('from "@rbxts/playwave"'));
	assert.equal(using.length, blocks.length, "every TypeScript block in the README imports what it uses");
	assert.ok(using.length >= 3, `only ${using.length} TypeScript blocks found`);
	const game = freshRbxtsGame(join(ROOT, "examples", "rbxts-game"), packed().tarball, "readme-game", false);
	for (const [i, block] of using.entries()) {
		const side = isClient(block) ? "client" : "server";
		const file = join(game, "src", side, `readme-line-${block.line}.${side}.ts`);
		mkdirSync(join(game, "src", side), { recursive: true });
		writeFileSync(file, block.code);
		assert.ok(i < 50);
	}
	compileRbxtsGame(game);
});

test("every Luau block runs against the Wally build (server blocks start the SDK; client blocks load)", async () => {
	const blocks = readmeBlocks().filter((b) => b.lang === "lua");
	assert.ok(blocks.length >= 3, `only ${blocks.length} Luau blocks found`);
	for (const block of blocks) {
		const place = scratchDir("readme-luau");
		installWallyPackage(join(place, "Packages"));
		const client = isClient(block);
		// A client block is compiled and its requires resolved, not run: FireServer needs a client.
		const source = client
			? `local function block()\n${block.code}\nend\nlocal _ = block\nprint("README-BLOCK loaded")\n`
			: block.code;
		writeFileSync(join(place, "Block.server.luau"), source);
		writeFileSync(
			join(place, "place.project.json"),
			JSON.stringify({
				name: "readme-block",
				tree: {
					$className: "DataModel",
					ReplicatedStorage: { $className: "ReplicatedStorage", Packages: { $path: "Packages" } },
					ServerScriptService: { $className: "ServerScriptService", Block: { $path: "Block.server.luau" } },
				},
			}),
		);
		const playtest = block.code.includes("playtest");
		const h = await harness();
		const game = await h.startServer({ project: join(place, "place.project.json"), studio: playtest });
		const where = `README line ${block.line}`;
		if (client) {
			assert.ok(game.server.lines("print").includes("README-BLOCK loaded"), `${where}: ${game.server.lines()}`);
		} else {
			// A launcher player (play-test mode fabricates one for anybody) is a PC-cafe player a second later.
			game.join(playtest ? { userId: 7 } : { userId: 7, pcId: "pc-7" });
			await h.advance(1);
			const [isPcCafe] = await game.server.eval(
				`local Playwave = require(game.ReplicatedStorage.Packages.playwave)
				return Playwave.get():isPcCafeUser(game.Players:GetPlayerByUserId(7))`,
			);
			assert.equal(isPcCafe, true, `${where}: ${game.server.lines().join("\n")}`);
		}
		assert.deepEqual(game.errors(), [], where);
		await h.dispose();
	}
});
