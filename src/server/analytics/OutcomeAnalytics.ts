import { Clock } from "../../clock/Clock";
import { EndResult, LostCode, RejectReason } from "../../session/SessionState";
import { VerifyReason } from "../config/PlaywaveConfig";
import { AnalyticsCustomFields, AnalyticsPort } from "../../ports/ports";
import { PlaywaveStats } from "../stats/types";

/**
 * The custom events the SDK logs. Six names (an experience may have 100, page "Custom events"), and
 * one custom field whose values come from small fixed sets (17 in all, under the 20 unique values per
 * field the AnalyticsService reference gives for its other events, and far under the 8,000 combinations
 * it gives for custom events).
 */
export const ANALYTICS_EVENTS = {
	/** A token was accepted. Value 1; `CustomField01` "PC-cafe" or "Not PC-cafe". */
	verified: "PlayWaveVerified",
	/** A PlayWave launch gave no session. Value 1; `CustomField01` the reason (normal players are not logged). */
	rejected: "PlayWaveRejected",
	/** The G-coin ran out (once per session). Value 1. */
	chargeExhausted: "PlayWaveChargeExhausted",
	/** Another session started on the same PC. Value 1. */
	replaced: "PlayWaveReplaced",
	/** The server no longer had the session. Value 1; `CustomField01` the code. */
	lost: "PlayWaveLost",
	/** A session ended. Value: its play time in seconds (the server's figure when it gave one); `CustomField01` how it ended. */
	playTime: "PlayWavePlayTime",
} as const;

/** "Total AnalyticsService requests per minute: 120 + (20 * CCU)", per server (page "Event types"). */
export function analyticsLimitPerMinute(players: number) {
	return 120 + 20 * players;
}

/** What the SDK takes of that budget: the game's own events share it. */
export const ANALYTICS_SHARE = 0.25;

/** Events logged and dropped (over the SDK's share of the rate limit) since start. */
export type AnalyticsCounts = NonNullable<PlaywaveStats["analytics"]>;

/** The facade's events the recorder listens to (a subset of `PlaywaveServer`). */
export interface OutcomeSource {
	readonly verified: {
		Connect(
			callback: (player: Player, isPcCafe: boolean, reason: VerifyReason, detail?: RejectReason) => void,
		): unknown;
	};
	readonly chargeExhausted: { Connect(callback: (player: Player) => void): unknown };
	readonly replaced: { Connect(callback: (player: Player) => void): unknown };
	readonly lost: { Connect(callback: (player: Player, code: LostCode) => void): unknown };
	readonly ended: { Connect(callback: (player: Player, result: EndResult) => void): unknown };
}

/**
 * Records the SDK's outcomes as Creator Analytics custom events (opt-in: `config.analytics`). Nothing
 * personal is sent: the Player (which the service already knows), a fixed event name, a count or a
 * play time, and a reason or code from a fixed set; never a session id, token or key. Keeps to a
 * quarter of the service's per-server rate limit over a sliding minute; events beyond that are dropped
 * and counted, never queued (a backlog would only compete with the game's own events).
 */
export class OutcomeAnalytics {
	private readonly sentAt = new Array<number>();
	private head = 0;
	private logged = 0;
	private dropped = 0;
	private warned = false;

	constructor(
		private readonly port: AnalyticsPort,
		private readonly clock: Clock,
		private readonly warn: (message: string) => void,
	) {}

	/** Listens to the facade's events. */
	attach(source: OutcomeSource) {
		source.verified.Connect((player, isPcCafe, reason, detail) => {
			if (reason === "VERIFIED") {
				this.log(player, ANALYTICS_EVENTS.verified, 1, isPcCafe ? "PC-cafe" : "Not PC-cafe");
			} else if (detail !== undefined && detail !== "NO_OTT") {
				this.log(player, ANALYTICS_EVENTS.rejected, 1, detail);
			}
		});
		source.chargeExhausted.Connect((player) => this.log(player, ANALYTICS_EVENTS.chargeExhausted, 1));
		source.replaced.Connect((player) => this.log(player, ANALYTICS_EVENTS.replaced, 1));
		source.lost.Connect((player, code) => this.log(player, ANALYTICS_EVENTS.lost, 1, code));
		source.ended.Connect((player, result) => {
			if (result.kind === "NotNeeded") return;
			const played =
				result.kind === "Ended" && result.serverPlayDurationSec !== undefined
					? result.serverPlayDurationSec
					: result.clientPlayDurationSec;
			this.log(player, ANALYTICS_EVENTS.playTime, math.max(0, math.floor(played)), result.kind);
		});
	}

	counts(): AnalyticsCounts {
		return { logged: this.logged, dropped: this.dropped };
	}

	private log(player: Player, eventName: string, value: number, field?: string) {
		const now = this.clock.now();
		while (this.head < this.sentAt.size() && this.sentAt[this.head] <= now - 60) this.head += 1;
		if (this.head > 256 && this.head * 2 > this.sentAt.size()) {
			const kept = new Array<number>();
			for (let index = this.head; index < this.sentAt.size(); index++) kept.push(this.sentAt[index]);
			this.sentAt.clear();
			for (const time of kept) this.sentAt.push(time);
			this.head = 0;
		}
		const allowed = math.floor(ANALYTICS_SHARE * analyticsLimitPerMinute(this.port.playerCount()));
		if (this.sentAt.size() - this.head >= allowed) {
			this.dropped += 1;
			return;
		}
		this.sentAt.push(now);
		const fields: AnalyticsCustomFields | undefined = field !== undefined ? { CustomField01: field } : undefined;
		const [ok, problem] = pcall(() => this.port.logCustomEvent(player, eventName, value, fields));
		if (ok) {
			this.logged += 1;
		} else {
			this.dropped += 1;
			if (!this.warned) this.warn(`AnalyticsService:LogCustomEvent failed: ${tostring(problem)}`);
			this.warned = true;
		}
	}
}
