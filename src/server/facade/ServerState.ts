import { Cancel } from "../../clock/Clock";
import { PlaywaveSession } from "../../session/PlaywaveSession";
import { ServerMessage } from "../../shared/messages";

/** One player whose session the SDK runs here (or ran: while it is handed over or ended). */
export interface Entry {
	readonly player: Player;
	readonly session: PlaywaveSession;
	/** The teleport prepared by `prepareForTeleport`, while one may be under way. */
	teleport?: { preparedAt: number };
	/** When the player left by teleport; the origin then watches the hand-over until it is claimed. */
	departedAt?: number;
	/** The last thing the origin learned about the record ("failed" when the store could not be read). */
	lastCheck?: string;
	cancelPoll?: Cancel;
	/** The SDK no longer acts for the player (they left, or the server released them): no kicks, no notices. */
	gone: boolean;
	ready: boolean;
	/** A PC-cafe status was sent (or queued): a restarted client gets the current one again. */
	statusKnown: boolean;
	readonly queued: Array<ServerMessage>;
}

/** A new player's entry: not gone, the client not ready yet, nothing queued. */
export function newEntry(player: Player, session: PlaywaveSession): Entry {
	return { player, session, ready: false, statusKnown: false, gone: false, queued: [] };
}

/**
 * What the facade's parts share and change: the sessions the SDK runs here, those leaving by teleport,
 * the ends in progress, and where the close stands. The close coordinator alone writes the close fields.
 */
export class ServerState {
	/** Players in this server whose session the SDK runs. */
	readonly entries = new Map<number, Entry>();
	/** Players who left by teleport, until the destination claims the session (or the wait ends). */
	readonly departing = new Set<Entry>();
	/** Sessions whose end is in progress (from a leave or the close). */
	readonly ending = new Set<Entry>();
	/** The server is closing: no new sessions, ends get the time left. */
	closing = false;
	/** At close: the game had its chance to prepare teleports; players still here unprepared are ended. */
	graceOver = false;
	/** At close: the clock time by which everything must be settled. */
	closeDeadline = 0;

	/** Sessions still to settle: players here, departures and ends in progress. */
	unsettled() {
		return this.entries.size() + this.departing.size() + this.ending.size();
	}
}
