// The Wally package's Luau entry (wally/init.luau), called the way a Luau game calls it: every function
// with options other than the defaults, each option checked for the effect a player or the game sees.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { harness } from "./fixtures";
import type { GameServer } from "./harness";

const PLACE = join(__dirname, "places", "luau-entry.project.json");
const SCRIPT = "ServerScriptService.LuauEntry";

/** The place prints the line before each call that must fail; the error must name the call's line. */
function at(lineBefore: string): string {
	return `${SCRIPT}:${Number(lineBefore) + 1}:`;
}
const CUSTOM_REMOTE = "ReplicatedStorage.CustomNotices";

/** What the place printed as `PLAYWAVE-ENTRY | <name> | <values…>`, by name. */
function entries(game: GameServer): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const line of game.server.output) {
		const [prefix, name, ...values] = line.text.split(" | ");
		if (line.level === "print" && prefix === "PLAYWAVE-ENTRY") found.set(name, values);
	}
	return found;
}

function entry(game: GameServer, name: string): string[] {
	const values = entries(game).get(name);
	assert.ok(values, `the place printed no ${name}: ${game.server.lines().join("\n")}`);
	return values;
}

test("Playwave.start forwards every option it was given, and its errors point at the calling script", async () => {
	const h = await harness();
	const other = h.sim.addGame({ name: "another-game" });
	const game = await h.startServer({ project: PLACE });

	// A bad config: the field is named, the position is the game's line, not the package's.
	const [badOk, badLine, badMessage] = entry(game, "badConfig");
	assert.equal(badOk, "false");
	assert.ok(badMessage.startsWith(`${at(badLine)} [Playwave] invalid config: config.environment`), badMessage);

	// remoteName: the server's RemoteEvent has the custom name, and the default one does not exist.
	assert.deepEqual(entry(game, "started"), ["table", "true", "false"]);
	assert.deepEqual(entry(game, "get"), ["true"]);
	const [twiceOk, twiceLine, twiceMessage] = entry(game, "twice");
	assert.equal(twiceOk, "false");
	assert.ok(twiceMessage.startsWith(`${at(twiceLine)} [Playwave] Playwave.start was already called`), twiceMessage);

	// texts.kickGameMismatch: the kick carries the game's text.
	const launchData = h.launchData({ userId: 301, pcId: "pc-301", balanceSec: 3600, game: other.gameId });
	const mismatched = game.join({ userId: 301, launchData, ready: false });
	// texts.noticeNotChargeable: the notice on the custom remote carries the game's text.
	game.join({ userId: 302, pcId: "pc-302", balanceSec: 0, ready: false });
	game.server.remotes.fireServer(CUSTOM_REMOTE, 302, "ready");
	// actions.notifyOttExpired = false: an expired token gives no notice.
	const expired = h.launchData({ userId: 303, pcId: "pc-303", balanceSec: 3600 });
	await h.advance(61);
	game.join({ userId: 303, launchData: expired, ready: false });
	game.server.remotes.fireServer(CUSTOM_REMOTE, 303, "ready");
	await h.advance(10);

	assert.equal(mismatched.kickMessage, "Custom: wrong game");
	const notices302 = game.server.remotes.firedTo(302, CUSTOM_REMOTE).map((fire) => fire.args[0]);
	assert.deepEqual(notices302, [{ type: "notice", notice: "NOT_CHARGEABLE", text: "Custom: recharge" }]);
	assert.deepEqual(game.event(303, "verified").args, ["false", "REJECTED", "OTT_EXPIRED"]);
	const notices303 = game.server.remotes.firedTo(303, CUSTOM_REMOTE).map((fire) => fire.args[0]);
	assert.deepEqual(notices303, [], "notifyOttExpired = false: no relaunch notice");
	assert.equal(game.server.remotes.firedTo(302, "ReplicatedStorage.PlaywaveNotices").length, 0);

	// debug = true: session transitions are logged.
	assert.ok(
		game.server.lines("print").some((text) => /^\[Playwave\] player302: .*VERIFYING -> REJECTED/.test(text)),
		game.server.lines("print").join("\n"),
	);
	// Callbacks given in the config were called (PlaywaveE2E.config adds them).
	assert.equal(game.events(302, "verified").length, 1);
	assert.deepEqual(game.errors(), []);
});

test("the server's signals are typed as used: Once fires once, Wait returns the next arguments", async () => {
	const h = await harness();
	const game = await h.startServer({ project: PLACE });
	game.join({ userId: 311, pcId: "pc-311", balanceSec: 3600 });
	await h.advance(5);
	game.join({ userId: 312 });
	await h.advance(5);
	assert.deepEqual(entry(game, "once"), ["311", "1"]);
	assert.deepEqual(entry(game, "wait"), ["311", "true", "VERIFIED"]);
	assert.equal(game.events(312, "verified").length, 1, "the second verify happened, and Once did not fire again");
	assert.equal(entries(game).size, 9, [...entries(game).keys()].join(", "));
});

test("Notices.start honours remoteName and timeoutSec, and its errors point at the calling script", async () => {
	const h = await harness();
	const game = await h.startServer({ project: PLACE });
	await h.advance(5);
	// remoteName + timeoutSec: a name no server created fails after 3 s (the defaults would wait 30 s
	// for "PlaywaveNotices"), naming the remote, at the caller's line.
	const [missingOk, missingLine, elapsed, missingMessage] = entry(game, "noticesMissing");
	assert.equal(missingOk, "false");
	assert.ok(Math.abs(Number(elapsed) - 3) < 0.1, `waited ${elapsed} s`);
	assert.ok(
		missingMessage.startsWith(`${at(missingLine)} [Playwave] no RemoteEvent "NoSuchNotices"`),
		missingMessage,
	);
	// remoteName: the server's custom RemoteEvent is found at once and the client half goes on to
	// FireServer, which only a client may call (the runtime has no client yet: as far as a Script goes).
	const [foundOk, foundElapsed, foundMessage] = entry(game, "noticesFound");
	assert.equal(foundOk, "false");
	assert.equal(Number(foundElapsed), 0);
	assert.match(foundMessage, /FireServer can only be called from the client/);
	const [badOk, badLine, badMessage] = entry(game, "noticesBadOptions");
	assert.equal(badOk, "false");
	assert.ok(badMessage.startsWith(`${at(badLine)} [Playwave] Notices.start: options must be a table`), badMessage);
});
