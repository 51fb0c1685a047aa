import { ManualClock } from "../clock";
import { PlayWaveSimulator } from "../simulator";
import type { SimResponse, SimulatorOptions } from "../simulator";

export const T0 = 1_700_000_000;

export interface Reply {
	status: number;
	raw: SimResponse;
	json: any;
}

/** A simulator on a manual clock with one game, plus terse clients for the three endpoints. */
export function setup(options: Partial<SimulatorOptions> = {}) {
	const clock = new ManualClock(T0);
	const sim = new PlayWaveSimulator({ seed: "tests", ...options, clock });
	const { gameId, apiKey } = sim.addGame({ gameId: "game-a" });

	/** `key: null` sends no X-Api-Key header. */
	const send = (method: string, path: string, body: unknown, key: string | null = apiKey): Reply => {
		const headers: Record<string, string> = { "Content-Type": "application/json" };
		if (key !== null) headers["X-Api-Key"] = key;
		const raw = sim.handle({
			method,
			url: `https://wave-api.playwave.dev/v1${path}`,
			headers,
			body: typeof body === "string" ? body : JSON.stringify(body),
		});
		let json: unknown = undefined;
		try {
			json = JSON.parse(raw.body);
		} catch {
			json = undefined;
		}
		return { status: raw.status, raw, json };
	};

	const verify = (ott: string, user = "123", key?: string) =>
		send("POST", "/game/session/verify", { ott, provider_user_id: user }, key ?? apiKey);
	const heartbeat = (id: string, user = "123", key?: string) =>
		send("PATCH", "/game/session/heartbeat", { game_session_id: id, provider_user_id: user }, key ?? apiKey);
	const end = (id: string, playDurationSec?: number, key?: string) =>
		send(
			"DELETE",
			"/game/session/end",
			playDurationSec === undefined
				? { game_session_id: id }
				: { game_session_id: id, play_duration_sec: playDurationSec },
			key ?? apiKey,
		);

	/** Issues an OTT and verifies it; returns the session id. */
	const start = (opts: { userId?: string; pcId?: string; balanceSec?: number } = {}) => {
		const userId = opts.userId ?? "123";
		const ott = sim.issueOtt({ userId, pcId: opts.pcId ?? "pc-1", balanceSec: opts.balanceSec ?? 3600 });
		const reply = verify(ott, userId);
		if (reply.json?.data?.is_valid !== true) throw new Error(`verify failed: ${reply.raw.body}`);
		return reply.json.data.game_session_id as string;
	};

	return { clock, sim, gameId, apiKey, send, verify, heartbeat, end, start };
}
