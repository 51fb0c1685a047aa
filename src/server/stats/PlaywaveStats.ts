import { PlaywaveConnection } from "../../session/PlaywaveConnection";
import { OutcomeAnalytics } from "../analytics/OutcomeAnalytics";
import { ConnectionMonitor } from "./ConnectionMonitor";
import { SessionTally } from "./SessionTally";
import { PlaywaveStats } from "./types";

/** HttpService's limit: requests a minute per game server, shared by every script (page "HttpService"). */
export const ENGINE_REQUESTS_PER_MINUTE = 500;

export type { PlaywaveStats } from "./types";
/** The requests part of the snapshot. */
export type RequestStats = PlaywaveStats["requests"];

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
