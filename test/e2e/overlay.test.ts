// The Studio overlay in a play-test, with real clients: each player's LocalScript starts the panel from
// the npm build; the test reads the panel's instance tree in the client's PlayerGui after each outcome.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { PlayerHandle } from "../runtime";
import { harness } from "./fixtures";

/** The same play-test as a roblox-ts game on the npm build and as a Luau game on the Wally build. */
const PLACES = {
	rbxts: join(__dirname, "places", "overlay-game.project.json"),
	wally: join(__dirname, "places", "overlay-wally.project.json"),
};

/** The panel's rows (TextLabel name → Text), read in the player's client; empty when there is no panel. */
async function panel(player: PlayerHandle): Promise<Record<string, string>> {
	const [json] = await player.client!.eval(`
		local gui = game:GetService("Players").LocalPlayer.PlayerGui:FindFirstChild("PlaywaveOverlay")
		local rows = {}
		if gui then
			assert(gui:IsA("ScreenGui"), "PlaywaveOverlay is a ScreenGui")
			rows.enabled = tostring(gui.Enabled)
			for _, child in gui:WaitForChild("Panel"):GetChildren() do
				if child:IsA("TextLabel") then rows[child.Name] = child.Text end
			end
		end
		return game:GetService("HttpService"):JSONEncode(rows)`);
	const rows = JSON.parse(String(json)) as Record<string, string> | unknown[];
	return Array.isArray(rows) ? {} : rows;
}

for (const [place, project] of Object.entries(PLACES)) {
	test(`${place}: a play-test's panel shows verify, heartbeats, then CHARGE_EXHAUSTED before the kick; NOT_CHARGEABLE for another`, async () => {
		const h = await harness({ wire: "inprocess" });
		const server = await h.world.createServer({ project, studio: true });
		await server.start();
		const exhausted = server.players.join({ userId: -1, name: "Player1", client: true });
		const refused = server.players.join({ userId: -2, name: "Player2", client: true });
		await exhausted.joined;
		await refused.joined;
		await h.advance(1);

		let rows = await panel(exhausted);
		assert.equal(rows.enabled, "true");
		assert.equal(rows.Title, "PlayWave");
		assert.equal(rows.Verify, "Verify: VERIFIED");
		assert.equal(rows.Session, "Session: ACTIVE · PC-cafe: yes");
		assert.match(rows.Heartbeat, /^Next heartbeat: \d+ s$/);
		assert.equal(rows.Notices, "Notices: none");
		assert.match(rows.Sessions, /ACTIVE 1/);
		assert.match(rows.Connection, /^Connection: healthy/);

		const other = await panel(refused);
		assert.equal(other.Verify, "Verify: REJECTED NOT_CHARGEABLE");
		assert.equal(other.Notices, "Notices: NOT_CHARGEABLE");

		// 300 PlayWave seconds at ×60: the first heartbeat after 5 s says CHARGE_EXHAUSTED; the grace (2 PlayWave
		// minutes) ends 2 s later. Watch the panel the way a developer would, until it changes.
		for (let i = 0; i < 40 && !exhausted.kicked; i++) {
			await h.advance(0.25);
			rows = await panel(exhausted);
			if (rows.LastResult !== "Last result: OK" && rows.LastResult !== "Last result: VERIFIED") break;
		}
		assert.equal(rows.LastResult, "Last result: CHARGE_EXHAUSTED");
		assert.equal(
			rows.Session,
			"Session: ACTIVE · PC-cafe: yes · G-coin exhausted: the session ends after the grace",
		);
		assert.equal(rows.Notices, "Notices: CHARGE_EXHAUSTED");
		assert.match(rows.Totals, /charge exhausted 1/);

		assert.ok(h.now >= 5 && h.now < 7.5, `CHARGE_EXHAUSTED shown at ${h.now} s`);

		// The grace runs out: 410, and the SDK's kick.
		await h.runUntil(() => exhausted.kicked, 30);
		assert.equal(exhausted.kicked, true);
		assert.deepEqual(server.lines("error"), []);
	});
}
