import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../clock";
import { PlayWaveSimulator } from "../simulator";

/** Every test here talks to a real server on 127.0.0.1 and closes it, whatever happens. */
async function withServer(
	run: (ctx: {
		sim: PlayWaveSimulator;
		clock: ManualClock;
		apiKey: string;
		baseUrl: string;
		origin: string;
	}) => Promise<void>,
) {
	const clock = new ManualClock(1_700_000_000);
	const sim = new PlayWaveSimulator({ clock, seed: "http" });
	const { apiKey } = sim.addGame({ gameId: "game-a" });
	const server = await sim.listen(0, { admin: true, realSecondsPerVirtualSecond: 0.001 });
	try {
		await run({ sim, clock, apiKey, baseUrl: server.baseUrl, origin: server.origin });
	} finally {
		await server.close();
	}
}

const call = (baseUrl: string, apiKey: string, method: string, path: string, body: unknown) =>
	fetch(`${baseUrl}${path}`, {
		method,
		headers: { "X-Api-Key": apiKey, "Content-Type": "application/json" },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(5000),
	});

describe("HTTP face on loopback", { timeout: 20_000 }, () => {
	it("verify, heartbeat and end (a DELETE with a body) over real HTTP", async () => {
		await withServer(async ({ clock, apiKey, baseUrl, origin }) => {
			assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
			const issued = await fetch(`${origin}/_sim/ott`, {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ userId: "123", pcId: "pc-1", balanceSec: 600 }),
				signal: AbortSignal.timeout(5000),
			});
			assert.equal(issued.status, 201);
			const { ott, launch_data } = (await issued.json()) as { ott: string; launch_data: string };
			assert.equal(launch_data, `playwave_${ott}`);

			const verified = await call(baseUrl, apiKey, "POST", "/game/session/verify", {
				ott,
				provider_user_id: "123",
			});
			assert.equal(verified.status, 200);
			assert.match(verified.headers.get("content-type") ?? "", /^application\/json/);
			const id = ((await verified.json()) as { data: { game_session_id: string } }).data.game_session_id;

			clock.advance(120);
			const beat = await call(baseUrl, apiKey, "PATCH", "/game/session/heartbeat", {
				game_session_id: id,
				provider_user_id: "123",
			});
			assert.deepEqual(((await beat.json()) as { data: unknown }).data, {
				result: "OK",
				next_heartbeat_in: 120,
				play_duration_sec: 120,
			});

			const ended = await call(baseUrl, apiKey, "DELETE", "/game/session/end", {
				game_session_id: id,
				play_duration_sec: 119,
			});
			assert.equal(ended.status, 200);
			assert.deepEqual(((await ended.json()) as { data: unknown }).data, {
				result: "SUCCESS",
				play_duration_sec: 120,
				client_play_duration_sec: 119,
			});

			const again = await call(baseUrl, apiKey, "DELETE", "/game/session/end", { game_session_id: id });
			assert.equal(again.status, 409);

			const ledger = (await (await fetch(`${origin}/_sim/ledger`)).json()) as { totalBilledSec: number };
			assert.equal(ledger.totalBilledSec, 120);
		});
	});

	it("a dropped reply is a network error for the client, while the server has acted", async () => {
		await withServer(async ({ sim, apiKey, baseUrl }) => {
			const ott = sim.issueOtt({ userId: 1, pcId: "pc", balanceSec: 60 });
			sim.fault({ effect: { kind: "drop" }, times: 1 });
			await assert.rejects(call(baseUrl, apiKey, "POST", "/game/session/verify", { ott, provider_user_id: "1" }));
			assert.equal(sim.sessions().length, 1);
		});
	});

	it("applies injected latency (scaled) and serves errors and HTML pages", async () => {
		await withServer(async ({ sim, apiKey, baseUrl }) => {
			sim.fault({ effect: { kind: "latency", delaySec: 50 }, times: 1 });
			const slow = await call(baseUrl, apiKey, "PATCH", "/game/session/heartbeat", {
				game_session_id: "gs_x",
				provider_user_id: "1",
			});
			assert.equal(slow.status, 404);
			sim.fault({ effect: { kind: "error", status: 503 }, times: 1 });
			const down = await call(baseUrl, apiKey, "PATCH", "/game/session/heartbeat", {});
			assert.equal(down.status, 503);
			assert.match(await down.text(), /Service Unavailable/);
			const noKey = await fetch(`${baseUrl}/game/session/heartbeat`, { method: "PATCH", body: "{}" });
			assert.equal(noKey.status, 401);
		});
	});

	it("keeps the admin routes off unless asked", async () => {
		const sim = new PlayWaveSimulator({ clock: new ManualClock() });
		sim.addGame();
		const server = await sim.listen(0);
		try {
			const reply = await fetch(`${server.origin}/_sim/ledger`, { signal: AbortSignal.timeout(5000) });
			assert.equal(reply.status, 404);
			assert.equal(((await reply.json()) as { error: { code: string } }).error.code, "NOT_FOUND");
		} finally {
			await server.close();
		}
	});
});
