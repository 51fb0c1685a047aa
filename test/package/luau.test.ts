// What a Luau user gets from Wally: the Wally build laid out in Packages/ as `wally install` does, every
// Luau block of the README run against it (client blocks loaded: the runtime has no client yet), and
// examples/luau-game played in the headless runtime against the PlayWave simulator.
import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { harness } from "../e2e/fixtures";
import { cleanUp, installWallyPackage, ROOT, scratchDir } from "./packing";
import { isClientBlock, readmeBlocks } from "./readme";
import { playOneSession } from "./session";

after(cleanUp);

test("every Luau block of the README runs against the Wally build (server blocks start the SDK; client blocks load)", async () => {
	const blocks = readmeBlocks().filter((b) => b.lang === "lua");
	assert.ok(blocks.length >= 3, `only ${blocks.length} Luau blocks found`);
	for (const block of blocks) {
		const place = scratchDir("readme-luau");
		installWallyPackage(join(place, "Packages"));
		const client = isClientBlock(block);
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

test("examples/luau-game with the Wally build in Packages/ plays a PlayWave session", async () => {
	const game = join(scratchDir("luau-game"), "luau-game");
	cpSync(join(ROOT, "examples", "luau-game"), game, { recursive: true });
	installWallyPackage(join(game, "Packages"));
	await playOneSession(await harness(), join(game, "default.project.json"));
});
