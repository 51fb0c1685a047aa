import type { FaultRule } from "./faults";
import type { PlayWaveSimulator } from "./simulator";

/**
 * `/_sim/*`: a small JSON admin surface for driving the simulator by hand (curl) when it runs as a
 * server. It is not part of the PlayWave API and lives outside its base path.
 */
export interface AdminReply {
	status: number;
	body: unknown;
}

export function handleAdmin(sim: PlayWaveSimulator, method: string, url: string, rawBody: string): AdminReply {
	const path = new URL(url, "http://simulator.invalid").pathname;
	let body: Record<string, unknown> = {};
	if (rawBody.trim() !== "") {
		try {
			const parsed: unknown = JSON.parse(rawBody);
			if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
		} catch {
			return { status: 400, body: { error: "body is not JSON" } };
		}
	}
	const str = (...names: string[]) => {
		for (const name of names)
			if (typeof body[name] === "string" || typeof body[name] === "number") return String(body[name]);
		return undefined;
	};
	const num = (...names: string[]) => {
		for (const name of names) if (typeof body[name] === "number") return body[name] as number;
		return undefined;
	};
	try {
		switch (`${method.toUpperCase()} ${path}`) {
			case "POST /_sim/ott": {
				const userId = str("userId", "user_id");
				const pcId = str("pcId", "pc_id");
				if (userId === undefined || pcId === undefined) {
					return { status: 400, body: { error: "userId and pcId are required" } };
				}
				const ott = sim.issueOtt({
					userId,
					pcId,
					balanceSec: num("balanceSec", "balance_sec"),
					game: str("game", "gameId", "game_id"),
					isPcCafe: typeof body.isPcCafe === "boolean" ? body.isPcCafe : undefined,
				});
				return { status: 201, body: { ott, launch_data: `playwave_${ott}` } };
			}
			case "POST /_sim/launcher/kill":
				sim.killLauncher(str("pcId", "pc_id") ?? "");
				return { status: 200, body: { ok: true } };
			case "POST /_sim/launcher/heartbeat":
				sim.launcherHeartbeat(str("pcId", "pc_id") ?? "");
				return { status: 200, body: { ok: true } };
			case "POST /_sim/balance": {
				const userId = str("userId", "user_id") ?? "";
				const balance = sim.addBalance(userId, num("addSec", "add_sec") ?? 0);
				return { status: 200, body: { userId, balanceSec: balance } };
			}
			case "POST /_sim/faults":
				return { status: 201, body: { id: sim.fault(body as unknown as FaultRule) } };
			case "DELETE /_sim/faults":
				sim.clearFaults();
				return { status: 200, body: { ok: true } };
			case "GET /_sim/ledger":
				return { status: 200, body: sim.ledger() };
			default:
				return { status: 404, body: { error: `no admin route ${method} ${path}` } };
		}
	} catch (error) {
		return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
	}
}
