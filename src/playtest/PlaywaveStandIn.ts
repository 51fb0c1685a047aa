import { Cancel, Clock } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { HttpTransport, TransportResult } from "../transport/HttpTransport";
import { EnvelopeServices, errorReply, okReply, StandInReply } from "./envelopes";
import { phaseAt, playDurationAt, STAND_IN_TIMING, StandInSession } from "./rules";
import { PlaytestScenario } from "./scenarios";
import { decodeSessionId, encodeSessionId } from "./sessionIds";

/** The game every fabricated token is for, and the one a GAME_MISMATCH token is not for. */
const THIS_GAME = "this-game";
const OTHER_GAME = "another-game";

export interface StandInOptions extends EnvelopeServices {
	/** Times replies and is the play-test's clock (wall-clock seconds). */
	readonly clock: Clock;
	/** PlayWave time runs this many times faster than `clock`. Default 1. */
	readonly timeScale?: number;
	/** Reply delay in `clock` seconds. Default 0 (still never synchronous). */
	readonly latencySec?: number;
}

interface Token {
	readonly userId: string;
	readonly scenario: PlaytestScenario;
	readonly gameId: string;
	readonly issuedAt: number;
	/** Seconds of play in the wallet; math.huge for an endless one. */
	readonly balanceSec: number;
	used: boolean;
}

function isDigits(value: unknown): value is string {
	return typeIs(value, "string") && value.match("^%-?%d+$")[0] !== undefined;
}

/**
 * An in-game stand-in for the PlayWave Game Server API: an `HttpTransport` that answers the SDK's
 * verify, heartbeat and end requests by the protocol's rules (the same rules as the Node simulator,
 * checked by the shared scenarios in `test/scenarios/`), from tokens it fabricates for play-test
 * players. No HttpService request is made and no API key is needed.
 *
 * Its session ids carry the scenario, the player and the start time (`gs_pt-ce300000-u123-…`), so a
 * stand-in on another server of the experience accepts the resume heartbeat after a teleport and
 * carries the scenario on where it left off.
 */
export class PlaywaveStandIn implements HttpTransport {
	private readonly timeScale: number;
	private readonly tokens = new Map<string, Token>();
	private readonly sessions = new Map<string, StandInSession>();

	constructor(private readonly options: StandInOptions) {
		this.timeScale = options.timeScale ?? 1;
	}

	/** PlayWave time, in seconds. */
	now(): number {
		return this.options.clock.now() * this.timeScale;
	}

	/**
	 * A one-time token for `userId`, set up so that verifying it leads into `scenario`, as the
	 * launcher's `LaunchData` (`playwave_<uuid>`).
	 */
	issueLaunchData(userId: number, scenario: PlaytestScenario): string {
		const ott = this.options.newUuid().lower();
		const rejected = scenario.kind === "rejected" ? scenario.reason : undefined;
		this.tokens.set(ott, {
			userId: tostring(userId),
			scenario,
			gameId: rejected === "GAME_MISMATCH" ? OTHER_GAME : THIS_GAME,
			// An expired token was issued a minute ago; the launcher's minute is gone.
			issuedAt: this.now() - (rejected === "OTT_EXPIRED" ? STAND_IN_TIMING.ottTtlSec : 0),
			balanceSec:
				rejected === "NOT_CHARGEABLE" ? 0 : scenario.kind === "chargeExhausted" ? scenario.afterSec : math.huge,
			used: rejected === "OTT_ALREADY_USED",
		});
		return `playwave_${ott}`;
	}

	send(request: ApiRequest, done: (result: TransportResult) => void): Cancel {
		const reply = this.answer(request);
		return this.options.clock.delay(this.options.latencySec ?? 0, () =>
			done({ kind: "response", status: reply.status, body: reply.body }),
		);
	}

	// --- endpoints ----------------------------------------------------------------------------------

	private answer(request: ApiRequest): StandInReply {
		const body = request.body as Record<string, unknown>;
		if (request.endpoint === "verify" && request.method === "POST") return this.verify(body);
		if (request.endpoint === "heartbeat" && request.method === "PATCH") return this.heartbeat(body);
		if (request.endpoint === "end" && request.method === "DELETE") return this.end(body);
		return this.error(405, "METHOD_NOT_ALLOWED");
	}

	private verify(body: Record<string, unknown>): StandInReply {
		const ott = body.ott;
		if (!typeIs(ott, "string") || ott.match("^[%x%-]+$")[0] === undefined || ott.size() !== 36) {
			return this.error(400, "BAD_REQUEST", "ott must be a UUID");
		}
		if (!isDigits(body.provider_user_id)) return this.error(400, "BAD_REQUEST", "provider_user_id");
		const now = this.now();
		const token = this.tokens.get(ott.lower());
		const reject = (reason: string) => this.ok({ is_valid: false, reason });
		if (token === undefined) return reject("OTT_EXPIRED");
		if (token.used) return reject("OTT_ALREADY_USED");
		if (now - token.issuedAt >= STAND_IN_TIMING.ottTtlSec) return reject("OTT_EXPIRED");
		if (token.gameId !== THIS_GAME) return reject("GAME_MISMATCH");
		if (!(token.balanceSec > 0)) return reject("NOT_CHARGEABLE");
		token.used = true;
		const random = this.options.newUuid().lower().gsub("[^%x]", "")[0];
		const session: StandInSession = {
			id: encodeSessionId(token.scenario, body.provider_user_id, this.options.wallClock(), random),
			userId: body.provider_user_id,
			scenario: token.scenario,
			startedAt: now,
			lastHeartbeatAt: now,
		};
		this.sessions.set(session.id, session);
		const isPcCafe = token.scenario.kind === "rejected" ? true : (token.scenario.isPcCafe ?? true);
		return this.ok({ is_valid: true, game_session_id: session.id, is_pc_cafe: isPcCafe });
	}

	private heartbeat(body: Record<string, unknown>): StandInReply {
		const id = body.game_session_id;
		if (!typeIs(id, "string") || id === "") return this.error(400, "BAD_REQUEST", "game_session_id");
		if (!isDigits(body.provider_user_id)) return this.error(400, "BAD_REQUEST", "provider_user_id");
		const session = this.find(id);
		// Another player's session is reported as absent, and left untouched.
		if (session === undefined || session.userId !== body.provider_user_id) {
			return this.error(404, "SESSION_NOT_FOUND");
		}
		const now = this.now();
		const phase = phaseAt(session, now);
		switch (phase) {
			case "active":
			case "charge_exhausted":
				session.lastHeartbeatAt = now;
				return this.ok({
					result: phase === "active" ? "OK" : "CHARGE_EXHAUSTED",
					// In wall-clock seconds: the SDK's clock runs at the play-test's pace, not PlayWave's.
					next_heartbeat_in: STAND_IN_TIMING.heartbeatIntervalSec / this.timeScale,
					play_duration_sec: playDurationAt(session, now),
				});
			case "replaced":
				return this.ok({ result: "SESSION_REPLACED", play_duration_sec: playDurationAt(session, now) });
			case "ending":
				return this.error(410, "SESSION_ENDING");
			case "ended":
				return this.error(410, "SESSION_ENDED");
			case "expired":
				return this.error(404, "SESSION_NOT_FOUND");
		}
	}

	private end(body: Record<string, unknown>): StandInReply {
		const id = body.game_session_id;
		if (!typeIs(id, "string") || id === "") return this.error(400, "BAD_REQUEST", "game_session_id");
		const client = body.play_duration_sec;
		if (client !== undefined && (!typeIs(client, "number") || client < 0 || client % 1 !== 0)) {
			return this.error(400, "BAD_REQUEST", "play_duration_sec");
		}
		const session = this.find(id);
		if (session === undefined) return this.error(404, "SESSION_NOT_FOUND");
		const now = this.now();
		const phase = phaseAt(session, now);
		if (phase === "expired") return this.error(404, "SESSION_NOT_FOUND");
		if (phase !== "active" && phase !== "charge_exhausted") return this.error(409, "ALREADY_ENDED");
		const played = playDurationAt(session, now);
		session.endedAt = now;
		return this.ok({
			result: "SUCCESS",
			play_duration_sec: played,
			client_play_duration_sec: client as number | undefined,
		});
	}

	/** A session this stand-in issued, or one another server's stand-in issued (rebuilt from its id). */
	private find(id: string): StandInSession | undefined {
		const known = this.sessions.get(id);
		if (known) return known;
		const decoded = decodeSessionId(id);
		if (decoded === undefined) return undefined;
		const now = this.now();
		const elapsedWall = math.max(0, this.options.wallClock() - decoded.startedUnixSec);
		// The origin kept it alive until the player left: the TTL counts from now.
		const session: StandInSession = {
			id,
			userId: decoded.userId,
			scenario: decoded.scenario,
			startedAt: now - elapsedWall * this.timeScale,
			lastHeartbeatAt: now,
		};
		this.sessions.set(id, session);
		return session;
	}

	private ok(data: object): StandInReply {
		return okReply(this.options, data);
	}

	private error(status: number, code: string, message?: string): StandInReply {
		return errorReply(this.options, status, code, message);
	}
}
