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

/** The key each place's LocalScript gives the panel: the default on npm, `toggleKey = F9` on Wally. */
const TOGGLE_KEYS: Record<keyof typeof PLACES, string> = { rbxts: "F8", wally: "F9" };

/** Presses and releases a key on the player's keyboard, optionally while a TextBox has focus. */
async function tap(player: PlayerHandle, key: string, options: { intoTextBox?: boolean } = {}) {
	await player.client!.eval(`
		local runtime = game:GetService("HeadlessRuntime")
		local box
		if ${options.intoTextBox ? "true" : "false"} then
			local gui = Instance.new("ScreenGui")
			gui.Name = "Chat"
			box = Instance.new("TextBox")
			box.Parent = gui
			gui.Parent = game:GetService("Players").LocalPlayer.PlayerGui
			box:CaptureFocus()
		end
		runtime:PressKey("${key}")
		runtime:ReleaseKey("${key}")
		if box then box:ReleaseFocus() end`);
}

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

for (const [place, project] of Object.entries(PLACES) as Array<[keyof typeof PLACES, string]>) {
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
		assert.equal(rows.Title, `PlayWave (${TOGGLE_KEYS[place]} hides)`);
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

for (const [place, project] of Object.entries(PLACES) as Array<[keyof typeof PLACES, string]>) {
	test(`${place}: the toggle key hides and shows the panel; the key typed into a TextBox does not`, async () => {
		const h = await harness({ wire: "inprocess" });
		const server = await h.world.createServer({ project, studio: true });
		await server.start();
		const player = server.players.join({ userId: -1, name: "Player1", client: true });
		await player.joined;
		await h.advance(1);
		const key = TOGGLE_KEYS[place];
		assert.equal((await panel(player)).Title, `PlayWave (${key} hides)`);
		assert.equal((await panel(player)).enabled, "true");

		await tap(player, key);
		assert.equal((await panel(player)).enabled, "false");
		// Typing the key into a chat box is the engine's input (gameProcessedEvent): the panel stays hidden.
		await tap(player, key, { intoTextBox: true });
		assert.equal((await panel(player)).enabled, "false");
		// Another key does nothing; the toggle key shows it again, and snapshots keep it up to date.
		await tap(player, key === "F8" ? "F9" : "F8");
		assert.equal((await panel(player)).enabled, "false");
		await tap(player, key);
		await h.advance(2);
		const rows = await panel(player);
		assert.equal(rows.enabled, "true");
		assert.equal(rows.Verify, "Verify: VERIFIED");
		assert.deepEqual(player.client!.lines("error"), []);
	});
}
