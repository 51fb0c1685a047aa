// One launcher player's whole PlayWave session in an example game, and what the player and the game saw.
import assert from "node:assert/strict";
import type { Harness } from "../e2e/harness";

/** The examples print `[example] …` lines and mark PC-cafe players with a `PcCafe` attribute. */
export async function playOneSession(h: Harness, project: string): Promise<void> {
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
}
