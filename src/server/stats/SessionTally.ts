import { TOKEN_REJECT_REASONS } from "../../protocol/outcomes";
import { PlaywaveSession } from "../../session/PlaywaveSession";
import { PlaywaveStats } from "./types";
import { EndResult, LostCode, RejectReason, SessionStatus } from "../../session/SessionState";

/** Every reason a player can be without a session, in the order stats list them. */
export const REJECT_REASONS: ReadonlyArray<RejectReason> = [
	...TOKEN_REJECT_REASONS,
	"NO_OTT",
	"INVALID_LAUNCH_DATA",
	"REQUEST_FAILED",
	"VERIFY_OUTCOME_UNKNOWN",
	"RESUME_REJECTED",
];

/** Every code with which a session can be lost. */
export const LOST_CODES: ReadonlyArray<LostCode> = [
	"SESSION_NOT_FOUND",
	"SESSION_ENDED",
	"SESSION_ENDING",
	"TTL_EXPIRED",
];

/** How ends finished (ends with nothing to end are not counted). */
export type EndKind = Exclude<EndResult["kind"], "NotNeeded">;

/** Counts since the server started (`getStats().totals`). */
export type PlaywaveTotals = PlaywaveStats["totals"];

function zeroes<K extends string>(keys: ReadonlyArray<K>): Record<K, number> {
	const record = {} as Record<K, number>;
	for (const key of keys) record[key] = 0;
	return record;
}

/** Every session status, in the order of the state machine's table. */
export const SESSION_STATUSES: ReadonlyArray<SessionStatus> = [
	"NONE",
	"VERIFYING",
	"ACTIVE",
	"ENDING",
	"HANDED_OFF",
	"ENDED",
	"REJECTED",
	"REPLACED",
	"LOST",
];

/**
 * Counts sessions by state as they move (no scan per read) and outcomes since start, from the sessions'
 * own events. The facade tracks a session when it creates it and untracks it when it destroys it.
 */
export class SessionTally {
	private readonly byState = zeroes(SESSION_STATUSES);
	private readonly tracked = new Map<PlaywaveSession, SessionStatus>();
	private readonly totals: PlaywaveTotals = {
		verified: 0,
		verifiedPcCafe: 0,
		rejected: zeroes(REJECT_REASONS),
		lost: zeroes(LOST_CODES),
		chargeExhausted: 0,
		replaced: 0,
		ended: zeroes<EndKind>(["Ended", "AlreadyGone", "Unconfirmed"]),
		handedOver: 0,
		resumed: 0,
	};

	track(session: PlaywaveSession) {
		if (this.tracked.has(session)) return;
		const status = session.getStatus();
		this.tracked.set(session, status);
		this.byState[status] += 1;
		const totals = this.totals;
		session.stateChanged.Connect((state) => {
			const previous = this.tracked.get(session);
			if (previous === undefined) return;
			this.byState[previous] -= 1;
			this.byState[state.status] += 1;
			this.tracked.set(session, state.status);
			if (state.status === "HANDED_OFF") totals.handedOver += 1;
		});
		session.verified.Connect((_, isPcCafe) => {
			totals.verified += 1;
			if (isPcCafe) totals.verifiedPcCafe += 1;
		});
		session.rejected.Connect((reason) => (totals.rejected[reason] += 1));
		session.lost.Connect((code) => (totals.lost[code] += 1));
		session.chargeExhausted.Connect(() => (totals.chargeExhausted += 1));
		session.replaced.Connect(() => (totals.replaced += 1));
		session.resumed.Connect(() => (totals.resumed += 1));
		session.ended.Connect((result) => {
			if (result.kind !== "NotNeeded") totals.ended[result.kind] += 1;
		});
	}

	/** The session is gone (destroyed): it no longer counts in any state. */
	untrack(session: PlaywaveSession) {
		const status = this.tracked.get(session);
		if (status === undefined) return;
		this.tracked.delete(session);
		this.byState[status] -= 1;
	}

	/** Sessions by state now (a copy). */
	sessions(): Record<SessionStatus, number> {
		return { ...this.byState };
	}

	/** Sessions tracked now. */
	size() {
		return this.tracked.size();
	}

	/** Counts since start (a copy). */
	sinceStart(): PlaywaveTotals {
		const totals = this.totals;
		return {
			...totals,
			rejected: { ...totals.rejected },
			lost: { ...totals.lost },
			ended: { ...totals.ended },
		};
	}
}
