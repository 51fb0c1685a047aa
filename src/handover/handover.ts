import { t } from "@rbxts/t";
import { isValidSessionId } from "../protocol/sessionId";
import { HandoverStore, StoreResult } from "../ports/HandoverStore";

/**
 * The hand-over of a PlayWave session between two servers of one experience (a teleport, or a soft
 * shutdown that moves everyone to a new server). The origin writes a small record under the player's
 * UserId; the destination claims it atomically for the arriving player's real UserId and takes the
 * session id and the PC-cafe status from it, never from anything the client carried; the origin reads
 * the record to learn that it was claimed, or marks it abandoned (atomically, so a late claim and an
 * abandon cannot both win) and ends the session itself.
 */

/** The name of the MemoryStore hash map holding hand-overs. */
export const HANDOVER_MAP = "PlaywaveHandover";
/**
 * How long a record lives in the store. Longer than the session's server-side TTL (240 s after the last
 * heartbeat): after that the session is gone and the record would be useless.
 */
export const HANDOVER_EXPIRATION_SEC = 300;

export type HandoverState = "prepared" | "claimed" | "abandoned";

export interface HandoverRecord {
	readonly gameSessionId: string;
	readonly userId: number;
	readonly isPcCafe: boolean;
	/** Unix seconds when the origin prepared the teleport. */
	readonly preparedAt: number;
	readonly state: HandoverState;
}

/** What is stored: short field names keep an item near 120 bytes (the limit is 32 KB). */
interface StoredRecord {
	v: 1;
	s: string;
	u: number;
	pc: boolean;
	at: number;
	st: HandoverState;
}

const storedShape = t.strictInterface({
	v: t.literal(1),
	s: t.string,
	u: t.integer,
	pc: t.boolean,
	at: t.number,
	st: t.literal("prepared", "claimed", "abandoned"),
});

/** The key of a player's record: their UserId (well under the 128-character key limit). */
export function handoverKey(userId: number): string {
	return `u${string.format("%d", userId)}`;
}

export function encodeRecord(record: HandoverRecord): StoredRecord {
	return {
		v: 1,
		s: record.gameSessionId,
		u: record.userId,
		pc: record.isPcCafe,
		at: record.preparedAt,
		st: record.state,
	};
}

/** A stored value as a record, or undefined when it is not one (anything read back is checked). */
export function decodeRecord(value: unknown): HandoverRecord | undefined {
	if (!storedShape(value)) return undefined;
	const stored = value as StoredRecord;
	if (!isValidSessionId(stored.s)) return undefined;
	return { gameSessionId: stored.s, userId: stored.u, isPcCafe: stored.pc, preparedAt: stored.at, state: stored.st };
}

/** The outcome of a claim at the destination. */
export type ClaimResult =
	/** This server now owns the session: resume it with the record's PC-cafe status. */
	| { kind: "claimed"; record: HandoverRecord }
	/** No record for this player (never written, expired) or one that cannot be claimed any more. */
	| { kind: "unavailable"; state?: HandoverState }
	/** The store failed: nothing is known. */
	| { kind: "failed"; problem: string };

/** What the origin learns about a record it wrote. */
export type ClaimCheck = "claimed" | "prepared" | "abandoned" | "missing" | { failed: string };

/** Moves a record from `prepared` to `target` atomically, for one user (and one session, when given). */
function advance(
	store: HandoverStore,
	userId: number,
	target: HandoverState,
	gameSessionId?: string,
): { result: StoreResult<unknown>; seen?: HandoverRecord } {
	let seen: HandoverRecord | undefined;
	const result = store.update(
		handoverKey(userId),
		(current) => {
			seen = decodeRecord(current);
			if (seen === undefined || seen.userId !== userId || seen.state !== "prepared") return undefined;
			if (gameSessionId !== undefined && seen.gameSessionId !== gameSessionId) return undefined;
			return encodeRecord({ ...seen, state: target });
		},
		HANDOVER_EXPIRATION_SEC,
	);
	return { result, seen };
}

/** The store operations of a hand-over, each one store request. They yield; none throws. */
export class Handover {
	constructor(private readonly store: HandoverStore) {}

	/** Origin, at `prepareForTeleport`: writes the record (replacing an older one of the same player). */
	prepare(userId: number, gameSessionId: string, isPcCafe: boolean, preparedAt: number): StoreResult<undefined> {
		const record: HandoverRecord = { gameSessionId, userId, isPcCafe, preparedAt, state: "prepared" };
		return this.store.set(handoverKey(userId), encodeRecord(record), HANDOVER_EXPIRATION_SEC);
	}

	/** Destination, when the player arrives: claims the record for this (real) UserId, atomically. */
	claim(userId: number): ClaimResult {
		const { result, seen } = advance(this.store, userId, "claimed");
		if (!result.ok) return { kind: "failed", problem: result.problem };
		const claimed = decodeRecord(result.value);
		if (claimed !== undefined && claimed.state === "claimed" && claimed.userId === userId) {
			return { kind: "claimed", record: claimed };
		}
		return { kind: "unavailable", state: seen?.state };
	}

	/** Origin, after the player left: has the destination claimed the session? */
	check(userId: number, gameSessionId: string): ClaimCheck {
		const result = this.store.get(handoverKey(userId));
		if (!result.ok) return { failed: result.problem };
		const record = decodeRecord(result.value);
		if (record === undefined || record.userId !== userId || record.gameSessionId !== gameSessionId) {
			return "missing";
		}
		return record.state;
	}

	/**
	 * Origin: nobody claimed the session in time (or the teleport failed), so it is not handed over after
	 * all. Atomic against a claim: gives "claimed" when the destination won the race.
	 */
	abandon(userId: number, gameSessionId: string): ClaimCheck {
		const { result, seen } = advance(this.store, userId, "abandoned", gameSessionId);
		if (!result.ok) return { failed: result.problem };
		if (seen === undefined || seen.gameSessionId !== gameSessionId) return "missing";
		return decodeRecord(result.value) !== undefined ? "abandoned" : seen.state;
	}
}
