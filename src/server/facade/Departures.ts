import { Clock } from "../../clock/Clock";
import { Handover } from "../../handover/handover";
import { maskKeyLike } from "../../protocol/redact";
import { LogPort } from "../../ports/ports";
import { SessionTally } from "../stats/SessionTally";
import { Diagnostics } from "./Diagnostics";
import { Entry, ServerState } from "./ServerState";

/** How often the origin reads the hand-over record after the player left by teleport (1 s while closing). */
const CLAIM_POLL_SEC = 5;
const CLAIM_POLL_CLOSING_SEC = 1;
/**
 * A hand-over nobody claimed this long after the player left is abandoned and the origin ends the session
 * (a teleport that threw, then a disconnect). With the poll and the end's own retries, billing stops at
 * most `CLAIM_WAIT_SEC + CLAIM_POLL_SEC + endTimeoutSec` (75 s by default) after the player left.
 */
export const CLAIM_WAIT_SEC = 60;

/** How a departure ended: handed over (claimed), ended here, left to the TTL (unknown), or nothing left. */
type Settlement = "claimed" | "end" | "unknown" | "gone";

/**
 * The origin's side of a teleport, and the end of every session here: after a player left by teleport,
 * heartbeats go on while the hand-over record is watched until the destination claims it (or nobody
 * does, and the session is ended here); `release` ends a session and destroys it once settled.
 */
export class Departures {
	constructor(
		private readonly state: ServerState,
		private readonly handover: Handover,
		private readonly tally: SessionTally,
		private readonly clock: Clock,
		private readonly log: LogPort,
		private readonly diagnostics: Diagnostics,
		/** Told whenever a session is settled (the close may be done). */
		private readonly settled: () => void,
	) {}

	/** The player left by teleport: heartbeats go on here until the destination claims the session. */
	watch(entry: Entry) {
		entry.departedAt = this.clock.now();
		this.state.departing.add(entry);
		this.schedulePoll(entry);
	}

	/** At close: departures under way are watched more closely. */
	pollSooner() {
		for (const entry of this.state.departing) this.schedulePoll(entry);
	}

	/** Near the close's deadline: departures still unclaimed most likely never arrived; decide while an end has time. */
	decideNow() {
		for (const entry of this.state.departing) {
			this.diagnostics.background("watching a hand-over", () => this.checkDeparture(entry, true));
		}
	}

	/** At the close's last second: this server stops heart-beating what is still unclaimed. */
	stopWatching() {
		for (const entry of this.state.departing) this.settleDeparture(entry, "unknown");
	}

	/** Ends the session (or not, if it was handed off, replaced or lost) and destroys it once settled. */
	release(entry: Entry) {
		const { state } = this;
		const timeoutSec = state.closing ? math.max(1, state.closeDeadline - this.clock.now() - 1) : undefined;
		state.ending.add(entry);
		const settle = () => {
			entry.session.destroy();
			this.tally.untrack(entry.session);
			state.ending.delete(entry);
			this.settled();
		};
		entry.session.endSession(timeoutSec).then(settle, (problem) => {
			this.log.warn(`ending a session failed: ${maskKeyLike(tostring(problem))}`);
			settle();
		});
	}

	private schedulePoll(entry: Entry) {
		entry.cancelPoll?.();
		const interval = this.state.closing ? CLAIM_POLL_CLOSING_SEC : CLAIM_POLL_SEC;
		entry.cancelPoll = this.clock.delay(interval, () =>
			this.diagnostics.background("watching a hand-over", () => this.checkDeparture(entry)),
		);
	}

	/** `final`: decide now (the wait is over, or the server is about to close). */
	private checkDeparture(entry: Entry, final = false) {
		const departing = this.state.departing;
		if (!departing.has(entry)) return;
		const userId = entry.player.UserId;
		const gameSessionId = entry.session.getGameSessionId();
		if (gameSessionId === undefined || entry.session.getStatus() !== "ACTIVE") {
			// Lost or replaced meanwhile: nothing to hand over or end.
			return this.settleDeparture(entry, "gone");
		}
		const check = this.handover.check(userId, gameSessionId);
		if (!departing.has(entry)) return;
		if (check === "claimed") return this.settleDeparture(entry, "claimed");
		entry.lastCheck = typeIs(check, "string") ? check : "failed";
		if (typeIs(check, "table")) {
			this.diagnostics.warnOnce(
				"HandoverCheck",
				`the hand-over could not be read from MemoryStoreService (${this.diagnostics.problem(check.failed)}): retrying`,
			);
		}
		const waited = this.clock.now() - (entry.departedAt ?? 0);
		if (!final && (this.state.closing || waited < CLAIM_WAIT_SEC)) return this.schedulePoll(entry);
		if (check !== "prepared") {
			// Unreadable, or a record this server did not manage to write: a destination may have resumed the
			// session from the marker, so it is not ended here; without heartbeats its TTL ends it otherwise.
			return this.settleDeparture(entry, "unknown");
		}
		// Nobody claimed it: the teleport did not happen. Abandon atomically (a late claim wins or loses
		// cleanly), then end the session here.
		const abandoned = this.handover.abandon(userId, gameSessionId);
		if (!departing.has(entry)) return;
		if (abandoned === "claimed") return this.settleDeparture(entry, "claimed");
		this.settleDeparture(entry, abandoned === "abandoned" ? "end" : "unknown");
	}

	/** The end of a departure: handed over (claimed), ended here, or left to the TTL (unknown). */
	private settleDeparture(entry: Entry, how: Settlement) {
		if (!this.state.departing.delete(entry)) return;
		entry.cancelPoll?.();
		entry.cancelPoll = undefined;
		if (how === "end") {
			this.diagnostics.debug(`${entry.player.Name}: hand-over not claimed in time, ending the session`);
			this.release(entry);
		} else {
			if (how === "unknown") {
				this.log.info(
					`${entry.player.Name}: hand-over not confirmed in time; this server stops heart-beating ` +
						"(the destination keeps the session alive, or its TTL ends billing)",
				);
			}
			entry.session.handOff();
			entry.session.destroy();
			this.tally.untrack(entry.session);
		}
		this.settled();
	}
}
