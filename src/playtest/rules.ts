import { PlaytestScenario } from "./scenarios";

/**
 * PlayWave's server-side clock rules as the stand-in plays them, in PlayWave seconds: the same table
 * as the Node simulator's `DEFAULT_TIMING` (test/simulator/protocol.ts), from the protocol document
 * (the PlayWave Game Server API: verify, heartbeat and end, and "Session states"). These are the server's rules, not the SDK's view of
 * them (`protocol/timing.ts`): the two must agree, and the shared scenarios check that they do.
 */
export interface StandInTiming {
	/** A one-time token is valid this long from issuance ("older than 1 minute" is expired). */
	readonly ottTtlSec: number;
	/** A session lives this long after its last accepted heartbeat. */
	readonly sessionTtlSec: number;
	/** The interval the server asks for in `next_heartbeat_in`. */
	readonly heartbeatIntervalSec: number;
	/** After CHARGE_EXHAUSTED the server ends the session after this grace. */
	readonly graceSec: number;
	/** Termination in progress after the grace (410 SESSION_ENDING); undocumented, 30 as in the simulator. */
	readonly endingSec: number;
}

export const STAND_IN_TIMING: StandInTiming = {
	ottTtlSec: 60,
	sessionTtlSec: 240,
	heartbeatIntervalSec: 120,
	graceSec: 120,
	endingSec: 30,
};

/** A session the stand-in issued (or rebuilt from an id another server's stand-in issued). */
export interface StandInSession {
	readonly id: string;
	readonly userId: string;
	readonly scenario: PlaytestScenario;
	/** PlayWave time of the verify. */
	readonly startedAt: number;
	lastHeartbeatAt: number;
	endedAt?: number;
}

/** Where a session stands: billing (`active`, `charge_exhausted`) or one of the ways it is over. */
export type Phase = "active" | "charge_exhausted" | "ending" | "ended" | "replaced" | "expired";

/**
 * Where a session stands at `now`: the earliest terminal event that has happened wins (TTL expiry,
 * end by the game, end of the grace, replacement, the scenario's loss), as in the simulator.
 * Deadlines are half-open: at exactly the deadline the event has happened.
 */
export function phaseAt(session: StandInSession, now: number, timing: StandInTiming = STAND_IN_TIMING): Phase {
	const scenario = session.scenario;
	const start = session.startedAt;
	const events: Array<[Phase, number]> = [["expired", session.lastHeartbeatAt + timing.sessionTtlSec]];
	if (session.endedAt !== undefined) events.push(["ended", session.endedAt]);
	let exhaustedAt = math.huge;
	if (scenario.kind === "chargeExhausted") {
		exhaustedAt = start + scenario.afterSec;
		events.push(["ending", exhaustedAt + timing.graceSec]);
	} else if (scenario.kind === "replaced") {
		events.push(["replaced", start + scenario.afterSec]);
	} else if (scenario.kind === "lost") {
		events.push([scenario.code === "SESSION_NOT_FOUND" ? "expired" : "ended", start + scenario.afterSec]);
	}
	let [terminal, at] = events[0];
	for (const [phase, time] of events) if (time < at) [terminal, at] = [phase, time];
	if (at <= now) return terminal === "ending" && now >= at + timing.endingSec ? "ended" : terminal;
	return now >= exhaustedAt ? "charge_exhausted" : "active";
}

/** The server's play time in whole seconds: from the verify until now, or until the replacement. */
export function playDurationAt(session: StandInSession, now: number): number {
	let playEnd = now;
	if (session.scenario.kind === "replaced") playEnd = math.min(now, session.startedAt + session.scenario.afterSec);
	return math.max(0, math.floor(playEnd - session.startedAt));
}
