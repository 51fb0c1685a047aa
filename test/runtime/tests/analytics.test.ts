// AnalyticsService as its class page, "Custom events", "Custom fields" and "Event types" (Event
// tracking limitations) describe it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BASIC_PROJECT, newWorld } from "./helpers";

const A = `local A = game:GetService("AnalyticsService")\n`;

async function serverWithPlayer(options: { studio?: boolean; jobId?: string } = {}) {
	const world = await newWorld();
	const server = await world.createServer({ project: BASIC_PROJECT, placeId: 1, ...options });
	await server.start();
	await server.players.join({ userId: 7 }).joined;
	const P = `local player = game:GetService("Players"):GetPlayerByUserId(7)\n`;
	return { world, server, P };
}

describe("AnalyticsService (AnalyticsService, Custom events, Event types)", () => {
	it("records custom events with their value (default 1) and the three custom fields only", async () => {
		const { server, P } = await serverWithPlayer();
		await server.eval(`${A}${P}
			A:LogCustomEvent(player, "MissionStarted")
			A:LogCustomEvent(player, "MissionCompletedDuration", 120, {
				[Enum.AnalyticsCustomFieldKeys.CustomField01.Name] = "Map - Desert",
				Other = "ignored",
			})`);
		const events = server.analytics();
		assert.equal(events.length, 2);
		assert.deepEqual(
			events.map((e) => [e.method, e.userId, e.fields, e.customFields, e.dropped]),
			[
				["LogCustomEvent", 7, { eventName: "MissionStarted", value: 1 }, {}, undefined],
				[
					"LogCustomEvent",
					7,
					{ eventName: "MissionCompletedDuration", value: 120 },
					{ CustomField01: "Map - Desert" },
					undefined,
				],
			],
		);
		await assert.rejects(
			server.eval(`${A} A:LogCustomEvent(nil, "x")`),
			/argument #1 \(Player expected, got nil\)/,
		);
		await assert.rejects(
			server.eval(`${A}${P} A:LogCustomEvent(player, "x", "high")`),
			/argument #3 \(number expected/,
		);
	});

	it("drops events over 120 + 20 per player a minute and logs an error", async () => {
		const { world, server, P } = await serverWithPlayer();
		await server.eval(`${A}${P} for i = 1, 150 do A:LogCustomEvent(player, "Tick") end`);
		const dropped = server.analytics().filter((e) => e.dropped);
		assert.equal(dropped.length, 10);
		assert.match(dropped[0].dropped!, /rate limit of 140 events per minute/);
		assert.equal(server.lines("error").filter((l) => l.includes("LogCustomEvent: event dropped")).length, 10);
		await world.advance(60);
		await server.eval(`${A}${P} A:LogCustomEvent(player, "Tick")`);
		assert.equal(server.analytics().at(-1)!.dropped, undefined);
	});

	it("allows 100 custom event names per experience and day, shared by its servers", async () => {
		const { world, server, P } = await serverWithPlayer();
		const other = await world.createServer({ project: BASIC_PROJECT, placeId: 1, jobId: "other" });
		await other.start();
		await other.players.join({ userId: 8 }).joined;
		await server.eval(`${A}${P} for i = 1, 60 do A:LogCustomEvent(player, "Event" .. i) end`);
		await world.advance(60);
		await other.eval(`${A} local player = game:GetService("Players"):GetPlayerByUserId(8)
			for i = 41, 110 do A:LogCustomEvent(player, "Event" .. i) end
			A:LogCustomEvent(player, "Event1")`);
		const dropped = other.analytics().filter((e) => e.dropped);
		assert.deepEqual(
			dropped.map((e) => e.fields.eventName),
			[
				"Event101",
				"Event102",
				"Event103",
				"Event104",
				"Event105",
				"Event106",
				"Event107",
				"Event108",
				"Event109",
				"Event110",
			],
		);
		assert.match(dropped[0].dropped!, /already has 100 custom event names today/);
		// "Limitations reset daily."
		await world.advance(86400);
		await other.eval(`${A} A:LogCustomEvent(game:GetService("Players"):GetPlayerByUserId(8), "Event200")`);
		assert.equal(other.analytics().at(-1)!.dropped, undefined);
	});

	it("checks economy and funnel events: currencies, funnels, steps and custom field values", async () => {
		const { server, P } = await serverWithPlayer();
		await server.eval(`${A}${P}
			for i = 1, 6 do
				A:LogEconomyEvent(player, Enum.AnalyticsEconomyFlowType.Source, "Coin" .. i, 10, 10, Enum.AnalyticsEconomyTransactionType.Gameplay.Name)
			end
			A:LogEconomyEvent(player, Enum.AnalyticsEconomyFlowType.Sink, "Coin1", -5, 5, "Shop")
			A:LogFunnelStepEvent(player, "Shop", "session-1", 1, "Opened")
			A:LogFunnelStepEvent(player, "Shop", "session-1", 101)
			A:LogOnboardingFunnelStepEvent(player, 2, "Moved")
			A:LogProgressionStartEvent(player, "Main", 3, "Level 3")
			A:LogProgressionEvent(player, "Main", Enum.AnalyticsProgressionType.Complete, 3)
			A:LogCustomEvent(player, "X", 1, { CustomField02 = 5 })`);
		const summary = server.analytics().map((e) => [e.method, e.dropped ?? "ok"]);
		assert.deepEqual(summary, [
			["LogEconomyEvent", "ok"],
			["LogEconomyEvent", "ok"],
			["LogEconomyEvent", "ok"],
			["LogEconomyEvent", "ok"],
			["LogEconomyEvent", "ok"],
			["LogEconomyEvent", "the experience already has 5 currency types today"],
			["LogEconomyEvent", "amount must be positive"],
			["LogFunnelStepEvent", "ok"],
			["LogFunnelStepEvent", "step 101 is not 1-100"],
			["LogOnboardingFunnelStepEvent", "ok"],
			["LogProgressionStartEvent", "ok"],
			["LogProgressionEvent", "ok"],
			["LogCustomEvent", "custom field CustomField02 must be a string, got number"],
		]);
		const economy = server.analytics()[0];
		assert.deepEqual(economy.fields, {
			flowType: "Source",
			currencyType: "Coin1",
			amount: 10,
			endingBalance: 10,
			transactionType: "Gameplay",
		});
		assert.equal(server.analytics()[11].fields.status, "Complete");
		await assert.rejects(
			server.eval(`${A}${P} A:LogEconomyEvent(player, "Source", "Coin", 1, 1, "Shop")`),
			/argument #2 \(Enum.AnalyticsEconomyFlowType expected/,
		);
	});

	it("sends nothing from Studio", async () => {
		const { server, P } = await serverWithPlayer({ studio: true });
		await server.eval(`${A}${P} A:LogCustomEvent(player, "MissionStarted")`);
		assert.equal(server.analytics()[0].dropped, "Studio");
		assert.deepEqual(server.lines("error"), []);
	});
});
