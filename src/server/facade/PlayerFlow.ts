import { t } from "@rbxts/t";
import { Handover } from "../../handover/handover";
import { isValidSessionId } from "../../protocol/sessionId";
import { PlaywaveConnection } from "../../session/PlaywaveConnection";
import { ServerPorts } from "../../ports/ports";
import { SessionTally } from "../stats/SessionTally";
import { Departures } from "./Departures";
import { Diagnostics } from "./Diagnostics";
import { OutcomeEvents } from "./OutcomeEvents";
import { Entry, newEntry, ServerState } from "./ServerState";

/** The key under which the hand-over marker rides in TeleportData, next to the game's own. */
export const HANDOVER_KEY = "playwave";
/** A teleport prepared longer ago than this is assumed abandoned: the player's leave then ends the session. */
const TELEPORT_PREPARE_TTL = 120;
/** At the destination, a claim that failed (store outage) is tried again after these delays (about 2 minutes in all). */
const CLAIM_RETRY_DELAYS: ReadonlyArray<number> = [2, 4, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];

const handoverShape = t.interface({ gameSessionId: t.string });

/**
 * A player's way through this server: a session at join (a fresh verify, or the resume of one a
 * teleport brought), a teleport prepared and perhaps failed, and the leave, which hands the session
 * over or ends it.
 */
export class PlayerFlow {
	constructor(
		private readonly state: ServerState,
		private readonly connection: PlaywaveConnection,
		private readonly ports: ServerPorts,
		private readonly handover: Handover,
		private readonly tally: SessionTally,
		private readonly events: OutcomeEvents,
		private readonly departures: Departures,
		private readonly diagnostics: Diagnostics,
		/** Told whenever a player stops being this server's (the close may be done). */
		private readonly settled: () => void,
	) {}

	onJoin(player: Player) {
		const { state } = this;
		if (state.closing || state.entries.has(player.UserId)) return;
		const session = this.connection.createSession(player.UserId);
		const entry = newEntry(player, session);
		state.entries.set(player.UserId, entry);
		this.events.wire(entry);
		// After wire: signals call the newest connection first, so the stats count an outcome before the
		// game's callbacks and the facade's events see it.
		this.tally.track(session);
		const joinData = this.ports.players.joinData(player);
		const marker = this.handoverMarker(joinData.TeleportData);
		if (marker === undefined) return session.start(joinData.LaunchData);
		// Arriving by teleport: the claim is one store request, which yields.
		this.diagnostics.background("claiming a hand-over", () => this.arrive(entry, marker, joinData.LaunchData));
	}

	/** See `PlaywaveServer.prepareForTeleport`. */
	prepareForTeleport(player: Player, options: TeleportOptions): boolean {
		const { state, ports } = this;
		const entry = state.entries.get(player.UserId);
		const gameSessionId = entry?.session.getGameSessionId();
		if (!entry || gameSessionId === undefined || entry.session.getStatus() !== "ACTIVE") return false;
		if (state.closing && state.graceOver && entry.teleport === undefined) return false;
		const existing = ports.teleports.getTeleportData(options);
		const data: Record<string, unknown> = typeIs(existing, "table") ? { ...(existing as object) } : {};
		if (existing !== undefined && !typeIs(existing, "table")) data.value = existing;
		// Only a marker: where the session goes is known from the store; the id is the fallback when the
		// store cannot be read (the destination then resumes without perks). Nothing in it is trusted.
		data[HANDOVER_KEY] = { gameSessionId };
		ports.teleports.setTeleportData(options, data);
		entry.teleport = { preparedAt: ports.clock.now() };
		const written = this.handover.prepare(
			player.UserId,
			gameSessionId,
			entry.session.isPcCafe(),
			ports.wallClock(),
		);
		if (!written.ok) {
			this.diagnostics.warnOnce(
				"HandoverWrite",
				`the hand-over could not be written to MemoryStoreService (${this.diagnostics.problem(written.problem)}): ` +
					"the destination resumes such sessions without PC-cafe perks",
			);
		}
		return true;
	}

	onLeave(player: Player) {
		const entry = this.state.entries.get(player.UserId);
		if (!entry || entry.player !== player) return;
		this.state.entries.delete(player.UserId);
		entry.gone = true;
		const teleport = entry.teleport;
		const live = entry.session.getStatus() === "ACTIVE";
		if (teleport !== undefined && live && this.ports.clock.now() - teleport.preparedAt <= TELEPORT_PREPARE_TTL) {
			this.departures.watch(entry);
		} else {
			this.departures.release(entry);
		}
		this.settled();
	}

	onTeleportFailed(player: Player) {
		const entry = this.state.entries.get(player.UserId);
		if (!entry || entry.teleport === undefined) return;
		entry.teleport = undefined;
		this.abandonRecord(entry);
		// During a close, after the grace: nothing will move this player any more.
		if (this.state.closing && this.state.graceOver) this.endPresent(entry);
	}

	/** At close: the SDK stops acting for a player still here and ends their session. */
	endPresent(entry: Entry) {
		if (this.state.entries.get(entry.player.UserId) !== entry) return;
		this.state.entries.delete(entry.player.UserId);
		entry.gone = true;
		if (entry.teleport !== undefined) this.abandonRecord(entry);
		this.departures.release(entry);
	}

	/** The session id in the teleport marker: a fallback only, never trusted for the PC-cafe status. */
	private handoverMarker(teleportData: unknown): string | undefined {
		if (!typeIs(teleportData, "table")) return undefined;
		const marker = (teleportData as Record<string, unknown>)[HANDOVER_KEY];
		if (!handoverShape(marker)) return undefined;
		return isValidSessionId(marker.gameSessionId) ? marker.gameSessionId : undefined;
	}

	/**
	 * The destination: claims the hand-over for the arriving player's real UserId and resumes with the
	 * record's session and PC-cafe status. When the store fails, resumes the marker's session without
	 * perks (the API still checks that it is this player's) and tries the claim again.
	 */
	private arrive(entry: Entry, marker: string, launchData: unknown) {
		const userId = entry.player.UserId;
		const claim = this.handover.claim(userId);
		if (entry.gone && claim.kind === "claimed") {
			// The player left while the claim was under way: this server owns the session now, so it ends it.
			const session = this.connection.createSession(userId);
			this.tally.track(session);
			session.resume(claim.record.gameSessionId, claim.record.isPcCafe);
			return this.departures.release({ ...entry, session });
		}
		if (entry.session.getStatus() !== "NONE") return;
		if (claim.kind === "claimed") return entry.session.resume(claim.record.gameSessionId, claim.record.isPcCafe);
		if (claim.kind === "unavailable" && claim.state !== undefined) {
			// Claimed by another server, or abandoned by the origin: not this arrival's to resume.
			if (launchData !== undefined && launchData !== "") return entry.session.start(launchData);
			return entry.session.rejectResume(`hand-over ${claim.state}`);
		}
		if (claim.kind === "failed") {
			this.diagnostics.warnOnce(
				"HandoverRead",
				`the hand-over could not be read from MemoryStoreService (${this.diagnostics.problem(claim.problem)}): ` +
					"resuming without PC-cafe perks, and trying the read again",
			);
			this.retryClaim(entry, 0);
		} else {
			this.diagnostics.warnOnce(
				"HandoverMissing",
				"a player arrived with a hand-over marker but no hand-over record (was it written?): resuming without PC-cafe perks",
			);
		}
		entry.session.resume(marker, false);
	}

	/** After a failed claim: tries again; once the record is read, the session gets its real PC-cafe status. */
	private retryClaim(entry: Entry, attempt: number) {
		const delay = CLAIM_RETRY_DELAYS[attempt];
		if (delay === undefined) return;
		this.ports.clock.delay(delay, () =>
			this.diagnostics.background("claiming a hand-over", () => {
				if (entry.gone) return;
				const claim = this.handover.claim(entry.player.UserId);
				if (entry.gone) return;
				if (claim.kind === "failed") {
					this.retryClaim(entry, attempt + 1);
					return;
				}
				if (claim.kind !== "claimed") return;
				if (claim.record.gameSessionId !== entry.session.getGameSessionId()) return;
				if (entry.session.setPcCafe(claim.record.isPcCafe))
					this.events.afterPcCafe(entry, claim.record.isPcCafe);
			}),
		);
	}

	/** Marks a prepared record abandoned (the teleport failed, or the session ends here), in the background. */
	private abandonRecord(entry: Entry) {
		const gameSessionId = entry.session.getGameSessionId();
		if (gameSessionId === undefined) return;
		this.diagnostics.background("abandoning a hand-over", () =>
			this.handover.abandon(entry.player.UserId, gameSessionId),
		);
	}
}
