import { PlaywaveConnection } from "../../PlaywaveConnection";
import { SessionStatus } from "../../session/SessionState";
import { RequestCounts, RequestKind } from "../../transport/MeteredTransport";
import { AnalyticsCounts, OutcomeAnalytics } from "../analytics/OutcomeAnalytics";
import { ConnectionMonitor, ConnectionStatus } from "./ConnectionMonitor";
import { PlaywaveTotals, SessionTally } from "./SessionTally";

/** HttpService's limit: requests a minute per game server, shared by every script (page "HttpService"). */
export const ENGINE_REQUESTS_PER_MINUTE = 500;

/** Requests over the last minute, against the SDK's share and the engine's limit. */
export interface RequestStats {
	/** By kind: sent (the engine's limit counts these) and refused by the engine for budget. */
	lastMinute: Record<RequestKind, RequestCounts>;
	/** All kinds together. */
	sentLastMinute: number;
	refusedLastMinute: number;
	/** The SDK's steady share of the budget (`requestsPerMinute`); heartbeats never take more. */
	share: number;
	/** What verifies and ends may use in a minute (`urgentRequestsPerMinute`). */
	urgentLimit: number;
	/** What the SDK can count on now: its share, or less after the engine refused requests. */
	available: number;
	/** The engine's limit for the whole server (500 a minute). */
	engineLimit: number;
	/** Waiting to be sent / sent and unanswered / unanswered longer than the slow threshold. */
	queued: number;
	inFlight: number;
	slowInFlight: number;
	/** Since start: requests whose deadline passed before they could be sent. */
	expiredUnsent: number;
}

/**
 * A snapshot of what the SDK is doing on this server. Cheap enough to read every frame: nothing is
 * scanned per session, and request counts come from per-second buckets.
 */
export interface PlaywaveStats {
	/** When it was taken, on the server's clock (`os.clock()` seconds). */
	at: number;
	/** Sessions by state: players in the server, and sessions still ending or handed off after they left. */
	sessions: Record<SessionStatus, number>;
	requests: RequestStats;
	connection: ConnectionStatus;
	/** Counts since the server started. */
	totals: PlaywaveTotals;
	/** Creator Analytics events logged and dropped since start, when `config.analytics` is on. */
	analytics?: AnalyticsCounts;
}

/** Takes the snapshot. */
export function takeStats(
	connection: PlaywaveConnection,
	tally: SessionTally,
	monitor: ConnectionMonitor,
	urgentLimit: number,
	now: number,
	analytics?: OutcomeAnalytics,
): PlaywaveStats {
	const scheduler = connection.scheduler.stats();
	const lastMinute = connection.meter.lastMinute();
	let sent = 0;
	let refused = 0;
	for (const [, counts] of pairs(lastMinute)) {
		sent += counts.sent;
		refused += counts.refused;
	}
	return {
		at: now,
		sessions: tally.sessions(),
		requests: {
			lastMinute,
			sentLastMinute: sent,
			refusedLastMinute: refused,
			share: connection.scheduler.share(),
			urgentLimit,
			available: scheduler.available,
			engineLimit: ENGINE_REQUESTS_PER_MINUTE,
			queued: scheduler.queued,
			inFlight: scheduler.inFlight,
			slowInFlight: scheduler.slowInFlight,
			expiredUnsent: scheduler.expiredUnsent,
		},
		connection: monitor.status(),
		totals: tally.sinceStart(),
		analytics: analytics?.counts(),
	};
}
