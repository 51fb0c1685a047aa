import { HttpService } from "@rbxts/services";
import { Cancel, Clock } from "../clock/Clock";
import { ApiRequest } from "../protocol/requests";
import { Timing } from "../protocol/timing";
import { HttpTransport, TransportResult } from "../transport/HttpTransport";
import { PlaytestScenario } from "./scenarios";

/** Termination after the grace (410 SESSION_ENDING) lasts this long, as in the Node simulator. */
const ENDING_SEC = 30;
/** The game every fabricated token is for, and the one a GAME_MISMATCH token is not for. */
const THIS_GAME = "this-game";
const OTHER_GAME = "another-game";
const ID_PREFIX = "gs_pt-";

export interface StandInOptions {
	/** Times replies and is the play-test's clock (wall-clock seconds). */
	readonly clock: Clock;
	/** PlayWave time runs this many times faster than `clock`. Default 1. */
	readonly timeScale?: number;
	/**
	 * Unix time in seconds, shared by every server of the experience: places it on a session that
	 * another server issued. Default `DateTime.now()` (or `os.time()` where there is no DateTime).
	 */
	readonly wallClock?: () => number;
	/** Reply delay in `clock` seconds. Default 0 (still never synchronous). */
	readonly latencySec?: number;
	readonly encodeJson?: (value: unknown) => string;
	/** A fresh UUID (any case). Default `HttpService:GenerateGUID(false)`. */
	readonly newUuid?: () => string;
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

interface Session {
	readonly id: string;
	readonly userId: string;
	readonly scenario: PlaytestScenario;
	readonly startedAt: number;
	lastHeartbeatAt: number;
	endedAt?: number;
}

type Phase = "active" | "charge_exhausted" | "ending" | "ended" | "replaced" | "expired";

/** A request the stand-in answered, for specs and the debug log. */
export interface StandInRecord {
	readonly at: number;
	readonly endpoint: ApiRequest["endpoint"];
	readonly status: number;
	/** `VALID`, the verify reason, the heartbeat result, `SUCCESS`, or the error code. */
	readonly outcome: string;
}

type Reply = { status: number; body: string; outcome: string };

function defaultWallClock(): number {
	const [ok, millis] = pcall(() => DateTime.now().UnixTimestampMillis);
	return ok ? (millis as number) / 1000 : os.time();
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
	readonly records = new Array<StandInRecord>();
	private readonly timeScale: number;
	private readonly wallClock: () => number;
	private readonly encode: (value: unknown) => string;
	private readonly newUuid: () => string;
	private readonly tokens = new Map<string, Token>();
	private readonly sessions = new Map<string, Session>();

	constructor(private readonly options: StandInOptions) {
		this.timeScale = options.timeScale ?? 1;
		this.wallClock = options.wallClock ?? defaultWallClock;
		this.encode = options.encodeJson ?? ((value) => HttpService.JSONEncode(value));
		this.newUuid = options.newUuid ?? (() => HttpService.GenerateGUID(false));
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
		const ott = this.newUuid().lower();
		const rejected = scenario.kind === "rejected" ? scenario.reason : undefined;
		this.tokens.set(ott, {
			userId: tostring(userId),
			scenario,
			gameId: rejected === "GAME_MISMATCH" ? OTHER_GAME : THIS_GAME,
			// An expired token was issued a minute ago; the launcher's minute is gone.
			issuedAt: this.now() - (rejected === "OTT_EXPIRED" ? Timing.ottLifetime : 0),
			balanceSec:
				rejected === "NOT_CHARGEABLE" ? 0 : scenario.kind === "chargeExhausted" ? scenario.afterSec : math.huge,
			used: rejected === "OTT_ALREADY_USED",
		});
		return `playwave_${ott}`;
	}

	send(request: ApiRequest, done: (result: TransportResult) => void): Cancel {
		const reply = this.answer(request);
		this.records.push({ at: this.now(), endpoint: request.endpoint, status: reply.status, outcome: reply.outcome });
		return this.options.clock.delay(this.options.latencySec ?? 0, () =>
			done({ kind: "response", status: reply.status, body: reply.body }),
		);
	}

	/** What the stand-in knows of a session right now (undefined for an id it never saw). */
	phaseOf(gameSessionId: string): Phase | undefined {
		const session = this.sessions.get(gameSessionId);
		return session ? this.phase(session, this.now()) : undefined;
	}

	// --- endpoints ----------------------------------------------------------------------------------

	private answer(request: ApiRequest): Reply {
		const body = request.body as Record<string, unknown>;
		if (request.endpoint === "verify" && request.method === "POST") return this.verify(body);
		if (request.endpoint === "heartbeat" && request.method === "PATCH") return this.heartbeat(body);
		if (request.endpoint === "end" && request.method === "DELETE") return this.end(body);
		return this.error(405, "METHOD_NOT_ALLOWED");
	}

	private verify(body: Record<string, unknown>): Reply {
		const ott = body.ott;
		if (!typeIs(ott, "string") || ott.match("^[%x%-]+$")[0] === undefined || ott.size() !== 36) {
			return this.error(400, "BAD_REQUEST", "ott must be a UUID");
		}
		if (!isDigits(body.provider_user_id)) return this.error(400, "BAD_REQUEST", "provider_user_id");
		const now = this.now();
		const token = this.tokens.get(ott.lower());
		const reject = (reason: string) => this.ok({ is_valid: false, reason }, reason);
		if (token === undefined) return reject("OTT_EXPIRED");
		if (token.used) return reject("OTT_ALREADY_USED");
		if (now - token.issuedAt >= Timing.ottLifetime) return reject("OTT_EXPIRED");
		if (token.gameId !== THIS_GAME) return reject("GAME_MISMATCH");
		if (!(token.balanceSec > 0)) return reject("NOT_CHARGEABLE");
		token.used = true;
		const session: Session = {
			id: this.sessionId(token.scenario, body.provider_user_id),
			userId: body.provider_user_id,
			scenario: token.scenario,
			startedAt: now,
			lastHeartbeatAt: now,
		};
		this.sessions.set(session.id, session);
		const isPcCafe = token.scenario.kind === "rejected" ? true : (token.scenario.isPcCafe ?? true);
		return this.ok({ is_valid: true, game_session_id: session.id, is_pc_cafe: isPcCafe }, "VALID");
	}

	private heartbeat(body: Record<string, unknown>): Reply {
		const id = body.game_session_id;
		if (!typeIs(id, "string") || id === "") return this.error(400, "BAD_REQUEST", "game_session_id");
		if (!isDigits(body.provider_user_id)) return this.error(400, "BAD_REQUEST", "provider_user_id");
		const session = this.find(id);
		// Another player's session is reported as absent, and left untouched.
		if (session === undefined || session.userId !== body.provider_user_id) {
			return this.error(404, "SESSION_NOT_FOUND");
		}
		const now = this.now();
		const phase = this.phase(session, now);
		switch (phase) {
			case "active":
			case "charge_exhausted": {
				session.lastHeartbeatAt = now;
				const result = phase === "active" ? "OK" : "CHARGE_EXHAUSTED";
				return this.ok(
					{
						result,
						next_heartbeat_in: Timing.defaultHeartbeatInterval / this.timeScale,
						play_duration_sec: this.playDuration(session, now),
					},
					result,
				);
			}
			case "replaced":
				return this.ok(
					{ result: "SESSION_REPLACED", play_duration_sec: this.playDuration(session, now) },
					"SESSION_REPLACED",
				);
			case "ending":
				return this.error(410, "SESSION_ENDING");
			case "ended":
				return this.error(410, "SESSION_ENDED");
			case "expired":
				return this.error(404, "SESSION_NOT_FOUND");
		}
	}

	private end(body: Record<string, unknown>): Reply {
		const id = body.game_session_id;
		if (!typeIs(id, "string") || id === "") return this.error(400, "BAD_REQUEST", "game_session_id");
		const client = body.play_duration_sec;
		if (client !== undefined && (!typeIs(client, "number") || client < 0 || client % 1 !== 0)) {
			return this.error(400, "BAD_REQUEST", "play_duration_sec");
		}
		const session = this.find(id);
		if (session === undefined) return this.error(404, "SESSION_NOT_FOUND");
		const now = this.now();
		const phase = this.phase(session, now);
		if (phase === "expired") return this.error(404, "SESSION_NOT_FOUND");
		if (phase !== "active" && phase !== "charge_exhausted") return this.error(409, "ALREADY_ENDED");
		const played = this.playDuration(session, now);
		session.endedAt = now;
		return this.ok(
			{ result: "SUCCESS", play_duration_sec: played, client_play_duration_sec: client as number | undefined },
			"SUCCESS",
		);
	}

	// --- rules --------------------------------------------------------------------------------------

	/**
	 * Where a session stands at `now`: the earliest terminal event that has happened wins (TTL expiry,
	 * end by the game, end of the grace, replacement, the scenario's loss), as in the simulator.
	 * Deadlines are half-open: at exactly the deadline the event has happened.
	 */
	private phase(session: Session, now: number): Phase {
		const scenario = session.scenario;
		const start = session.startedAt;
		const events: Array<[Phase, number]> = [["expired", session.lastHeartbeatAt + Timing.sessionTtl]];
		if (session.endedAt !== undefined) events.push(["ended", session.endedAt]);
		let exhaustedAt = math.huge;
		if (scenario.kind === "chargeExhausted") {
			exhaustedAt = start + scenario.afterSec;
			events.push(["ending", exhaustedAt + Timing.chargeExhaustedGrace]);
		} else if (scenario.kind === "replaced") {
			events.push(["replaced", start + scenario.afterSec]);
		} else if (scenario.kind === "lost") {
			events.push([scenario.code === "SESSION_NOT_FOUND" ? "expired" : "ended", start + scenario.afterSec]);
		}
		let [terminal, at] = events[0];
		for (const [phase, time] of events) if (time < at) [terminal, at] = [phase, time];
		if (at <= now) return terminal === "ending" && now >= at + ENDING_SEC ? "ended" : terminal;
		return now >= exhaustedAt ? "charge_exhausted" : "active";
	}

	private playDuration(session: Session, now: number) {
		let playEnd = now;
		if (session.scenario.kind === "replaced")
			playEnd = math.min(now, session.startedAt + session.scenario.afterSec);
		return math.max(0, math.floor(playEnd - session.startedAt));
	}

	// --- ids ----------------------------------------------------------------------------------------

	/** `gs_pt-<scenario>-<user>-<start, unix ms>-<random>`: everything another server needs. */
	private sessionId(scenario: PlaytestScenario, userId: string): string {
		const millis = (seconds: number) => tostring(math.floor(seconds * 1000 + 0.5));
		let code = "ok";
		if (scenario.kind === "chargeExhausted") code = `ce${millis(scenario.afterSec)}`;
		else if (scenario.kind === "replaced") code = `rp${millis(scenario.afterSec)}`;
		else if (scenario.kind === "lost") {
			code = `${scenario.code === "SESSION_NOT_FOUND" ? "nf" : "le"}${millis(scenario.afterSec)}`;
		}
		const user = userId.sub(1, 1) === "-" ? `m${userId.sub(2)}` : `u${userId}`;
		const started = tostring(math.floor(this.wallClock() * 1000));
		const random = this.newUuid().lower().gsub("[^%x]", "")[0].sub(1, 8);
		return `${ID_PREFIX}${code}-${user}-${started}-${random}`;
	}

	/** A session this stand-in issued, or one another server's stand-in issued (rebuilt from its id). */
	private find(id: string): Session | undefined {
		const known = this.sessions.get(id);
		if (known) return known;
		if (id.sub(1, ID_PREFIX.size()) !== ID_PREFIX) return undefined;
		const [code, amount, sign, user, started] = id
			.sub(ID_PREFIX.size() + 1)
			.match("^(%a%a)(%d*)%-([um])(%d+)%-(%d+)%-%x+$");
		if (code === undefined || user === undefined || started === undefined) return undefined;
		const afterSec = (tonumber(amount) ?? 0) / 1000;
		let scenario: PlaytestScenario | undefined;
		if (code === "ok") scenario = { kind: "ok" };
		else if (code === "ce") scenario = { kind: "chargeExhausted", afterSec };
		else if (code === "rp") scenario = { kind: "replaced", afterSec };
		else if (code === "nf") scenario = { kind: "lost", afterSec, code: "SESSION_NOT_FOUND" };
		else if (code === "le") scenario = { kind: "lost", afterSec, code: "SESSION_ENDED" };
		if (scenario === undefined) return undefined;
		const now = this.now();
		const elapsedWall = math.max(0, this.wallClock() - (tonumber(started) as number) / 1000);
		// The origin kept it alive until the player left: the TTL counts from now.
		const session: Session = {
			id,
			userId: sign === "m" ? `-${user}` : tostring(user),
			scenario,
			startedAt: now - elapsedWall * this.timeScale,
			lastHeartbeatAt: now,
		};
		this.sessions.set(id, session);
		return session;
	}

	// --- envelopes ----------------------------------------------------------------------------------

	private ok(data: object, outcome: string): Reply {
		const requestId = `req_${this.newUuid().lower().gsub("[^%x]", "")[0].sub(1, 24)}`;
		return { status: 200, body: this.encode({ success: true, request_id: requestId, data }), outcome };
	}

	private error(status: number, code: string, message = code): Reply {
		const timestamp = os.date("!%Y-%m-%dT%H:%M:%SZ", math.floor(this.wallClock()));
		return {
			status,
			body: this.encode({ success: false, error: { code, message, timestamp } }),
			outcome: code,
		};
	}
}
