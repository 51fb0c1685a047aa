// examples/: the two minimal games, set up the way their READMEs say (the packed npm package / the Wally
// build in Packages/), built, and run in the headless runtime against the PlayWave simulator.
import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { harness } from "../e2e/fixtures";
import type { GameServer } from "../e2e/harness";
import { cleanUp, compileRbxtsGame, freshRbxtsGame, installWallyPackage, packed, ROOT, scratchDir } from "./packing";

after(cleanUp);

async function playOneSession(project: string): Promise<GameServer> {
	const h = await harness();
	const game = await h.startServer({ project });
	const player = game.join({ userId: 21, name: "cafe21", pcId: "pc-21", balanceSec: 3600 });
	await h.advance(300);
	const [pcCafe] = await game.server.eval(`return game.Players:GetPlayerByUserId(21):GetAttribute("PcCafe")`);
	assert.equal(pcCafe, true, "onPcCafe marked the player");
	game.leave(21);
	await h.advance(5);
	const prints = game.server.lines("print");
	assert.ok(prints.includes("[example] cafe21 verified: VERIFIED, PC cafe: true"), prints.join("\n"));
	assert.ok(prints.includes("[example] cafe21 ended: Ended"), prints.join("\n"));
	assert.equal(player.kicked, false);
	const session = h.sessionOf(21);
	assert.ok(session.billedSec >= 300 && session.billedSec <= 310, `billed ${session.billedSec} s`);
	assert.deepEqual(h.violations(), []);
	assert.deepEqual(game.errors(), []);
	assert.deepEqual(game.warnings(), []);
	return game;
}

test("examples/rbxts-game compiles against the packed package and plays a PlayWave session", async () => {
	const game = freshRbxtsGame(join(ROOT, "examples", "rbxts-game"), packed().tarball, "rbxts-game");
	compileRbxtsGame(game);
	await playOneSession(join(game, "default.project.json"));
});

test("examples/luau-game with the Wally build in Packages/ plays a PlayWave session", async () => {
	const game = join(scratchDir("luau-game"), "luau-game");
	cpSync(join(ROOT, "examples", "luau-game"), game, { recursive: true });
	installWallyPackage(join(game, "Packages"));
	await playOneSession(join(game, "default.project.json"));
});
