import { NoticePort } from "../../ports/ports";
import { ServerMessage } from "../../shared/messages";
import { Entry, ServerState } from "./ServerState";

/** Notices kept for a client that has not said it is ready. */
const MAX_QUEUED_NOTICES = 10;

/**
 * What goes to each player's client (the PC-cafe status and notices): sent once the client says it is
 * ready, kept until then, and nothing once the SDK no longer acts for the player.
 */
export class ClientChannel {
	constructor(
		private readonly state: ServerState,
		private readonly notices: NoticePort,
	) {}

	/** Sends to the client, or keeps it (at most 10) until the client says it is ready. */
	send(entry: Entry, message: ServerMessage) {
		if (entry.gone) return;
		if (message.type === "status") entry.statusKnown = true;
		if (entry.ready) return this.notices.send(entry.player, message);
		if (entry.queued.size() >= MAX_QUEUED_NOTICES) entry.queued.remove(0);
		entry.queued.push(message);
	}

	/** The client said it is ready: what was kept goes out, in order. */
	onClientReady(player: Player) {
		const entry = this.state.entries.get(player.UserId);
		if (!entry || entry.player !== player) return;
		if (entry.ready) {
			// A restarted client (a second "ready", e.g. a GUI with ResetOnSpawn) gets the current status again.
			if (entry.statusKnown) {
				this.notices.send(player, { type: "status", isPcCafe: entry.session.isPcCafe() });
			}
			return;
		}
		entry.ready = true;
		for (const message of entry.queued) this.notices.send(player, message);
		entry.queued.clear();
	}
}
