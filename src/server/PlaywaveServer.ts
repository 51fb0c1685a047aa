import { Signal } from "@rbxts/beacon";
import { t } from "@rbxts/t";
import { Cancel } from "../clock/Clock";
import { Handover } from "../handover/handover";
import { maskKeyLike } from "../protocol/redact";
import { isValidSessionId } from "../protocol/sessionId";
import { describeFailure, isTransient } from "../protocol/outcomes";
import { PlaywaveConnection } from "../session/PlaywaveConnection";
import { PlaywaveSession } from "../session/PlaywaveSession";
import { EndResult, LostCode, RejectReason } from "../session/SessionState";
import { NoticeKind, ServerMessage } from "../shared/messages";
import { ResolvedConfig, VerifyReason } from "./config";
import { ACTION_POLICY, PolicyOutcome } from "./policy";
import { ServerPorts } from "../ports/ports";
import { OutcomeAnalytics } from "./analytics/OutcomeAnalytics";
import { ConnectionMonitor, ConnectionStatus } from "./stats/ConnectionMonitor";
import { PlaywaveStats, takeStats } from "./stats/PlaywaveStats";
import { SessionTally } from "./stats/SessionTally";

/** The key under which the hand-over marker rides in TeleportData, next to the game's own. */
export const HANDOVER_KEY = "playwave";
/** A teleport prepared longer ago than this is assumed abandoned: the player's leave then ends the session. */
const TELEPORT_PREPARE_TTL = 120;
/** How often the origin reads the hand-over record after the player left by teleport (1 s while closing). */
const CLAIM_POLL_SEC = 5;
const CLAIM_POLL_CLOSING_SEC = 1;
/**
 * A hand-over nobody claimed this long after the player left is abandoned and the origin ends the session
 * (a teleport that threw, then a disconnect). With the poll and the end's own retries, billing stops at
 * most `CLAIM_WAIT_SEC + CLAIM_POLL_SEC + endTimeoutSec` (75 s by default) after the player left.
 */
export const CLAIM_WAIT_SEC = 60;
/** At the destination, a claim that failed (store outage) is tried again after these delays (about 2 minutes in all). */
const CLAIM_RETRY_DELAYS: ReadonlyArray<number> = [2, 4, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
/**
 * At close, players still here this long before the deadline are ended, whatever was prepared, and
 * hand-overs still unclaimed are abandoned and ended (a teleport that threw, then the server emptied).
 */
const END_RESERVE_SEC = 10;
/** Notices kept for a client that has not said it is ready. */
const MAX_QUEUED_NOTICES = 10;
/** Store error texts are clipped to this in the log. */
const PROBLEM_LENGTH = 80;

const handoverShape = t.interface({ gameSessionId: t.string });

interface Entry {
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

/** The facade's events and what each carries. */
interface ServerEvents {
	verified: [player: Player, isPcCafe: boolean, reason: VerifyReason, detail?: RejectReason];
	pcCafe: [player: Player];
	chargeExhausted: [player: Player];
	replaced: [player: Player];
	lost: [player: Player, code: LostCode];
	ended: [player: Player, result: EndResult];
}

/** The config callback that goes with each event. */
const CALLBACK_OF = {
	verified: "onVerified",
	pcCafe: "onPcCafe",
	chargeExhausted: "onChargeExhausted",
	replaced: "onReplaced",
	lost: "onLost",
	ended: "onEnded",
} as const satisfies Record<keyof ServerEvents, keyof ResolvedConfig["callbacks"]>;

function verifyReasonOf(reason: RejectReason): VerifyReason {
	switch (reason) {
		case "NO_OTT":
			return "NO_OTT";
		case "INVALID_LAUNCH_DATA":
			return "INVALID_PREFIX";
		case "REQUEST_FAILED":
		case "VERIFY_OUTCOME_UNKNOWN":
			return "REQUEST_FAILED";
		case "RESUME_REJECTED":
			return "RESUME_REJECTED";
		default:
			return "REJECTED";
	}
}

/**
 * The server facade, as `Playwave.start` returns it: examines every player at once, runs one
 * `PlaywaveSession` per PlayWave player, ends sessions on leave and shutdown, hands sessions over
 * across teleports, applies the default actions, and reports everything through its events (each
 * also goes to the config's matching callback, which runs first).
 *
 * @example
 * ```ts
 * const playwave = Playwave.start({ apiKeySecret: "playwave_api_key", environment: "live" });
 * playwave.pcCafe.Connect((player) => grantPcCafePerks(player));
 * playwave.lost.Connect((player, code) => removePcCafePerks(player));
 * ```
 */
export class PlaywaveServer {
	/**
	 * Every player's verify result, normal players (`NO_OTT`) included; `detail` says why there is no
	 * session. `RESUMED` when a teleport brought the session along.
	 */
	readonly verified = new Signal<[player: Player, isPcCafe: boolean, reason: VerifyReason, detail?: RejectReason]>();
	/** A player is playing as a PC-cafe user (after verify, or after a teleport resumed the session). */
	readonly pcCafe = new Signal<[player: Player]>();
	/**
	 * The player's G-coin ran out: PlayWave ends the session after a 2-minute grace unless they
	 * recharge. By default the client gets a notice.
	 */
	readonly chargeExhausted = new Signal<[player: Player]>();
	/**
	 * A PlayWave session started elsewhere on the same PC: PC-cafe benefits end here, the player is not
	 * kicked, and the session is never ended by this server. By default the client gets a notice.
	 */
	readonly replaced = new Signal<[player: Player]>();
	/**
	 * The session is gone: PlayWave no longer has it (404/410: kicked by default), or PlayWave stayed
	 * unreachable until it lapsed (`TTL_EXPIRED`: a notice, no kick). PC-cafe benefits end.
	 */
	readonly lost = new Signal<[player: Player, code: LostCode]>();
	/**
	 * A session was ended (the player left, or the server closed); the result says whether PlayWave
	 * confirmed it and its play time. Not fired when there was nothing to end.
	 */
	readonly ended = new Signal<[player: Player, result: EndResult]>();
	/**
	 * The connection's condition changed (healthy, paused for an outage or a 429, misconfigured): a game
	 * can page someone or show a banner. See `getStats().connection`.
	 */
	readonly connectionChanged: Signal<[status: ConnectionStatus, previous: ConnectionStatus]>;

	/** Players in this server whose session the SDK runs. */
	private readonly entries = new Map<number, Entry>();
	/** Players who left by teleport, until the destination claims the session (or the wait ends). */
	private readonly departing = new Set<Entry>();
	/** Sessions whose end is in progress (from a leave or the close). */
	private readonly ending = new Set<Entry>();
	private closing = false;
	/** At close: the game had its chance to prepare teleports; players still here unprepared are ended. */
	private graceOver = false;
	private closeDeadline = 0;
	private closeWait?: Promise<void>;
	private resolveClose?: () => void;
	private readonly warned = new Set<string>();
	private started = false;
	private readonly tally = new SessionTally();
	private readonly monitor: ConnectionMonitor;
	private analytics?: OutcomeAnalytics;
	private readonly handover: Handover;

	/** @internal Built by `Playwave.start`. */
	constructor(
		private readonly config: ResolvedConfig,
		private readonly connection: PlaywaveConnection,
		private readonly ports: ServerPorts,
	) {
		this.handover = new Handover(ports.handover);
		this.monitor = new ConnectionMonitor(connection.scheduler, connection.meter, ports.clock, ports.httpEnabled);
		this.connectionChanged = this.monitor.changed;
		if (config.analytics && ports.analytics) {
			this.analytics = new OutcomeAnalytics(ports.analytics, ports.clock, ports.log.warn);
			this.analytics.attach(this);
		}
	}

	/**
	 * What the SDK is doing now: sessions by state, requests in the last minute against the share and the
	 * engine's limit, the connection's condition, and counts since start. Cheap enough for every frame.
	 */
	getStats(): PlaywaveStats {
		const urgent = math.max(this.config.urgentRequestsPerMinute, this.config.requestsPerMinute);
		return takeStats(this.connection, this.tally, this.monitor, urgent, this.ports.clock.now(), this.analytics);
	}

	/**
	 * Wires players, shutdown, teleports and client readiness. Players already in the server are examined now.
	 * @internal `Playwave.start` calls it.
	 */
	start() {
		if (this.started) return;
		this.started = true;
		const { players, shutdown, teleports, notices } = this.ports;
		players.onPlayerAdded((player) => this.onJoin(player));
		players.onPlayerRemoving((player) => this.onLeave(player));
		teleports.onTeleportInitFailed((player) => this.onTeleportFailed(player));
		notices.onReady((player) => this.onClientReady(player));
		shutdown.bindToClose(() => this.shutdown());
		if (!this.ports.httpEnabled()) {
			this.warnOnce(
				"HttpDisabled",
				"HTTP requests are not enabled (Game Settings > Security > Allow HTTP Requests): PlayWave players cannot be verified",
			);
		}
		for (const player of players.getPlayers()) this.onJoin(player);
	}

	/** True while the player has a verified, billing PC-cafe session: the moment to grant PC-cafe perks. */
	isPcCafeUser(player: Player): boolean {
		return this.entries.get(player.UserId)?.session.isPcCafe() ?? false;
	}

	/** The player's session on this server (for its state and lower-level events), if they have one. */
	getSession(player: Player): PlaywaveSession | undefined {
		return this.entries.get(player.UserId)?.session;
	}

	/**
	 * Call before `TeleportService:TeleportAsync`, also from a `BindToClose` that moves everyone to a new
	 * server (a soft shutdown). Writes the hand-over (session id, UserId, PC-cafe status, prepared-at) to
	 * `MemoryStoreService`, so the destination resumes the session with the status this server verified,
	 * and adds a marker to the options' TeleportData (keeping the game's own). Yields for that one store
	 * request. Heartbeats continue here until the destination claims the session, so a failed teleport
	 * loses nothing. Returns false when the player has no live session (the teleport can go ahead regardless).
	 */
	prepareForTeleport(player: Player, options: TeleportOptions): boolean {
		const entry = this.entries.get(player.UserId);
		const gameSessionId = entry?.session.getGameSessionId();
		if (!entry || gameSessionId === undefined || entry.session.getStatus() !== "ACTIVE") return false;
		if (this.closing && this.graceOver && entry.teleport === undefined) return false;
		const existing = this.ports.teleports.getTeleportData(options);
		const data: Record<string, unknown> = typeIs(existing, "table") ? { ...(existing as object) } : {};
		if (existing !== undefined && !typeIs(existing, "table")) data.value = existing;
		// Only a marker: where the session goes is known from the store; the id is the fallback when the
		// store cannot be read (the destination then resumes without perks). Nothing in it is trusted.
		data[HANDOVER_KEY] = { gameSessionId };
		this.ports.teleports.setTeleportData(options, data);
		entry.teleport = { preparedAt: this.ports.clock.now() };
		const written = this.handover.prepare(
			player.UserId,
			gameSessionId,
			entry.session.isPcCafe(),
			this.ports.wallClock(),
		);
		if (!written.ok) {
			this.warnOnce(
				"HandoverWrite",
				`the hand-over could not be written to MemoryStoreService (${this.problem(written.problem)}): ` +
					"the destination resumes such sessions without PC-cafe perks",
			);
		}
		return true;
	}

	/**
	 * The SDK's `BindToClose`. Verifies not yet sent are never sent. Players being teleported out (now or
	 * within the grace, whichever callback runs first) are handed over, not ended; every other session is
	 * ended. Waits, within the configured deadline, for every end in progress (also those a leave started
	 * before the close) and for hand-overs to be claimed. Idempotent: a second call waits for the same close.
	 */
	shutdown() {
		if (this.closeWait === undefined) this.beginClose();
		this.closeWait!.await();
	}

	private beginClose() {
		const clock = this.ports.clock;
		const total = this.config.shutdownTimeoutSec;
		this.closing = true;
		this.closeDeadline = clock.now() + total;
		this.closeWait = new Promise<void>((resolve) => {
			this.resolveClose = resolve;
		});
		// Ends may now use nearly the whole HttpService budget.
		this.connection.scheduler.enterShutdown();
		const count = this.entries.size() + this.departing.size() + this.ending.size();
		if (count > 0) this.ports.log.info(`closing: settling ${count} PlayWave session(s)`);
		// Anyone not billing yet is released now; a verify already sent still gets its answer (then an end).
		for (const [, entry] of this.entries) {
			if (entry.session.getStatus() !== "ACTIVE") this.endPresent(entry);
		}
		this.connection.scheduler.stopSending("verify");
		// Departures already under way are watched more closely now.
		for (const entry of this.departing) this.schedulePoll(entry);
		const grace = math.min(this.config.teleportGraceSec, math.max(0, total - END_RESERVE_SEC));
		clock.delay(grace, () => {
			this.graceOver = true;
			for (const [, entry] of this.entries) if (entry.teleport === undefined) this.endPresent(entry);
		});
		clock.delay(math.max(grace, total - END_RESERVE_SEC), () => {
			for (const [, entry] of this.entries) this.endPresent(entry);
			// Departures still unclaimed now most likely never arrived: decide while an end still has time.
			for (const entry of this.departing) {
				this.background("watching a hand-over", () => this.checkDeparture(entry, true));
			}
		});
		clock.delay(math.max(0, total - 1), () => {
			for (const entry of this.departing) this.settleDeparture(entry, "unknown");
		});
		clock.delay(total, () => this.finishClose());
		this.checkClosed();
	}

	private checkClosed() {
		if (!this.closing) return;
		if (this.entries.isEmpty() && this.departing.isEmpty() && this.ending.isEmpty()) this.finishClose();
	}

	private finishClose() {
		const resolve = this.resolveClose;
		this.resolveClose = undefined;
		resolve?.();
	}

	// --- players --------------------------------------------------------------------------------

	private onJoin(player: Player) {
		if (this.closing || this.entries.has(player.UserId)) return;
		const session = this.connection.createSession(player.UserId);
		const entry: Entry = { player, session, ready: false, statusKnown: false, gone: false, queued: [] };
		this.entries.set(player.UserId, entry);
		this.wire(entry);
		// After wire: signals call the newest connection first, so the stats count an outcome before the
		// game's callbacks and the facade's events see it.
		this.tally.track(session);
		const joinData = this.ports.players.joinData(player);
		const marker = this.handoverMarker(joinData.TeleportData);
		if (marker === undefined) return session.start(joinData.LaunchData);
		// Arriving by teleport: the claim is one store request, which yields.
		this.background("claiming a hand-over", () => this.arrive(entry, marker, joinData.LaunchData));
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
			return this.release({ ...entry, session });
		}
		if (entry.session.getStatus() !== "NONE") return;
		if (claim.kind === "claimed") return entry.session.resume(claim.record.gameSessionId, claim.record.isPcCafe);
		if (claim.kind === "unavailable" && claim.state !== undefined) {
			// Claimed by another server, or abandoned by the origin: not this arrival's to resume.
			if (launchData !== undefined && launchData !== "") return entry.session.start(launchData);
			return entry.session.rejectResume(`hand-over ${claim.state}`);
		}
		if (claim.kind === "failed") {
			this.warnOnce(
				"HandoverRead",
				`the hand-over could not be read from MemoryStoreService (${this.problem(claim.problem)}): ` +
					"resuming without PC-cafe perks, and trying the read again",
			);
			this.retryClaim(entry, 0);
		} else {
			this.warnOnce(
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
			this.background("claiming a hand-over", () => {
				if (entry.gone) return;
				const claim = this.handover.claim(entry.player.UserId);
				if (entry.gone) return;
				if (claim.kind === "failed") {
					this.retryClaim(entry, attempt + 1);
					return;
				}
				if (claim.kind !== "claimed") return;
				if (claim.record.gameSessionId !== entry.session.getGameSessionId()) return;
				if (entry.session.setPcCafe(claim.record.isPcCafe)) this.afterPcCafe(entry, claim.record.isPcCafe);
			}),
		);
	}

	private onLeave(player: Player) {
		const entry = this.entries.get(player.UserId);
		if (!entry || entry.player !== player) return;
		this.entries.delete(player.UserId);
		entry.gone = true;
		const teleport = entry.teleport;
		const live = entry.session.getStatus() === "ACTIVE";
		if (teleport !== undefined && live && this.ports.clock.now() - teleport.preparedAt <= TELEPORT_PREPARE_TTL) {
			// Leaving by teleport: heartbeats go on here until the destination claims the session.
			entry.departedAt = this.ports.clock.now();
			this.departing.add(entry);
			this.schedulePoll(entry);
		} else {
			this.release(entry);
		}
		this.checkClosed();
	}

	private onTeleportFailed(player: Player) {
		const entry = this.entries.get(player.UserId);
		if (!entry || entry.teleport === undefined) return;
		entry.teleport = undefined;
		this.abandonRecord(entry);
		// During a close, after the grace: nothing will move this player any more.
		if (this.closing && this.graceOver) this.endPresent(entry);
	}

	/** At close: the SDK stops acting for a player still here and ends their session. */
	private endPresent(entry: Entry) {
		if (this.entries.get(entry.player.UserId) !== entry) return;
		this.entries.delete(entry.player.UserId);
		entry.gone = true;
		if (entry.teleport !== undefined) this.abandonRecord(entry);
		this.release(entry);
	}

	/** Marks a prepared record abandoned (the teleport failed, or the session ends here), in the background. */
	private abandonRecord(entry: Entry) {
		const gameSessionId = entry.session.getGameSessionId();
		if (gameSessionId === undefined) return;
		this.background("abandoning a hand-over", () => this.handover.abandon(entry.player.UserId, gameSessionId));
	}

	// --- hand-over watch (origin) ---------------------------------------------------------------

	private schedulePoll(entry: Entry) {
		entry.cancelPoll?.();
		const interval = this.closing ? CLAIM_POLL_CLOSING_SEC : CLAIM_POLL_SEC;
		entry.cancelPoll = this.ports.clock.delay(interval, () =>
			this.background("watching a hand-over", () => this.checkDeparture(entry)),
		);
	}

	/** `final`: decide now (the wait is over, or the server is about to close). */
	private checkDeparture(entry: Entry, final = false) {
		if (!this.departing.has(entry)) return;
		const userId = entry.player.UserId;
		const gameSessionId = entry.session.getGameSessionId();
		if (gameSessionId === undefined || entry.session.getStatus() !== "ACTIVE") {
			// Lost or replaced meanwhile: nothing to hand over or end.
			return this.settleDeparture(entry, "gone");
		}
		const check = this.handover.check(userId, gameSessionId);
		if (!this.departing.has(entry)) return;
		if (check === "claimed") return this.settleDeparture(entry, "claimed");
		entry.lastCheck = typeIs(check, "string") ? check : "failed";
		if (typeIs(check, "table")) {
			this.warnOnce(
				"HandoverCheck",
				`the hand-over could not be read from MemoryStoreService (${this.problem(check.failed)}): retrying`,
			);
		}
		const waited = this.ports.clock.now() - (entry.departedAt ?? 0);
		if (!final && (this.closing || waited < CLAIM_WAIT_SEC)) return this.schedulePoll(entry);
		if (check !== "prepared") {
			// Unreadable, or a record this server did not manage to write: a destination may have resumed the
			// session from the marker, so it is not ended here; without heartbeats its TTL ends it otherwise.
			return this.settleDeparture(entry, "unknown");
		}
		// Nobody claimed it: the teleport did not happen. Abandon atomically (a late claim wins or loses
		// cleanly), then end the session here.
		const abandoned = this.handover.abandon(userId, gameSessionId);
		if (!this.departing.has(entry)) return;
		if (abandoned === "claimed") return this.settleDeparture(entry, "claimed");
		this.settleDeparture(entry, abandoned === "abandoned" ? "end" : "unknown");
	}

	/** The end of a departure: handed over (claimed), ended here, or left to the TTL (unknown). */
	private settleDeparture(entry: Entry, how: "claimed" | "end" | "unknown" | "gone") {
		if (!this.departing.delete(entry)) return;
		entry.cancelPoll?.();
		entry.cancelPoll = undefined;
		if (how === "end") {
			this.debug(`${entry.player.Name}: hand-over not claimed in time, ending the session`);
			this.release(entry);
		} else {
			if (how === "unknown") {
				this.ports.log.info(
					`${entry.player.Name}: hand-over not confirmed in time; this server stops heart-beating ` +
						"(the destination keeps the session alive, or its TTL ends billing)",
				);
			}
			entry.session.handOff();
			entry.session.destroy();
			this.tally.untrack(entry.session);
		}
		this.checkClosed();
	}

	/** Ends the session (or not, if it was handed off, replaced or lost) and destroys it once settled. */
	private release(entry: Entry) {
		const timeoutSec = this.closing ? math.max(1, this.closeDeadline - this.ports.clock.now() - 1) : undefined;
		this.ending.add(entry);
		const settle = () => {
			entry.session.destroy();
			this.tally.untrack(entry.session);
			this.ending.delete(entry);
			this.checkClosed();
		};
		entry.session.endSession(timeoutSec).then(settle, (problem) => {
			this.ports.log.warn(`ending a session failed: ${maskKeyLike(tostring(problem))}`);
			settle();
		});
	}

	/** Runs work that may yield (a store request) on its own thread; an error is logged, never lost. */
	private background(what: string, run: () => void) {
		task.spawn(() => {
			const [ok, problem] = pcall(run);
			if (!ok) this.ports.log.warn(`${what} failed: ${maskKeyLike(tostring(problem))}`);
		});
	}

	/** A store error text for the log: clipped, anything shaped like a key masked. */
	private problem(text: string) {
		const masked = maskKeyLike(text);
		return masked.size() > PROBLEM_LENGTH ? masked.sub(1, PROBLEM_LENGTH) + "…" : masked;
	}

	// --- events and default actions -------------------------------------------------------------

	private wire(entry: Entry) {
		const { player, session } = entry;
		session.verified.Connect((_, isPcCafe) => {
			this.emit("verified", player, isPcCafe, "VERIFIED");
			this.afterPcCafe(entry, isPcCafe);
		});
		session.resumed.Connect(() => {
			this.emit("verified", player, session.isPcCafe(), "RESUMED");
			this.afterPcCafe(entry, session.isPcCafe());
		});
		session.rejected.Connect((reason) => {
			this.emit("verified", player, false, verifyReasonOf(reason), reason);
			const state = session.getState();
			const failure = state.status === "REJECTED" ? state.failure : undefined;
			// A refused key or request is warned by the connection, once; other configuration problems
			// (HTTP disabled, an undocumented status) once here, not once per player.
			if (failure && !isTransient(failure) && failure.kind !== "InvalidApiKey" && failure.kind !== "BadRequest") {
				this.warnOnce(failure.kind, `verify failed: ${describeFailure(failure, this.config.debug)}`);
			}
			this.react(entry, reason);
		});
		session.chargeExhausted.Connect(() => {
			this.emit("chargeExhausted", player);
			this.react(entry, "CHARGE_EXHAUSTED");
		});
		session.replaced.Connect(() => {
			this.emit("replaced", player);
			this.react(entry, "SESSION_REPLACED");
		});
		session.lost.Connect((code) => {
			this.emit("lost", player, code);
			// Not "could not be reached" while PlayWave refuses our key or requests: that is ours to fix
			// (and was warned about).
			const refused = code === "TTL_EXPIRED" && this.connection.scheduler.trouble() === "refused";
			this.react(entry, refused ? "TTL_EXPIRED_WHILE_REFUSED" : code);
		});
		session.ended.Connect((result) => {
			if (result.kind !== "NotNeeded") this.emit("ended", player, result);
		});
		session.errored.Connect((message, failure) =>
			this.debug(`${player.Name}: ${failure !== undefined ? describeFailure(failure, true) : message}`),
		);
		if (this.config.debug) {
			session.stateChanged.Connect((state, previous) =>
				this.ports.log.info(`${player.Name}: ${previous.status} -> ${state.status}`),
			);
		}
	}

	private afterPcCafe(entry: Entry, isPcCafe: boolean) {
		this.send(entry, { type: "status", isPcCafe });
		if (isPcCafe) this.emit("pcCafe", entry.player);
	}

	/**
	 * The one way an event goes out: the game's callback first (an error in it is logged and never
	 * breaks the session flow), then the signal.
	 */
	private emit<K extends keyof ServerEvents>(event: K, ...args: ServerEvents[K]) {
		const callback = this.config.callbacks[CALLBACK_OF[event]] as ((...args: ServerEvents[K]) => void) | undefined;
		if (callback !== undefined) {
			const [ok, problem] = pcall(callback, ...args);
			if (!ok) this.ports.log.warn(`${CALLBACK_OF[event]} callback errored: ${tostring(problem)}`);
		}
		(this[event] as unknown as { Fire(...args: ServerEvents[K]): void }).Fire(...args);
	}

	/** Applies the default actions for an outcome (see `ACTION_POLICY`), each unless the game turned it off. */
	private react(entry: Entry, outcome: PolicyOutcome) {
		const reaction = ACTION_POLICY[outcome];
		if (reaction === undefined) return;
		const { actions, texts } = this.config;
		if (reaction.statusOff) this.send(entry, { type: "status", isPcCafe: false });
		if (reaction.kick && actions[reaction.kick.action]) this.kick(entry, texts[reaction.kick.text]);
		if (reaction.notify && actions[reaction.notify.action]) {
			this.notify(entry, reaction.notify.notice, texts[reaction.notify.text]);
		}
	}

	private kick(entry: Entry, message: string) {
		if (!entry.gone) this.ports.players.kick(entry.player, message);
	}

	private notify(entry: Entry, notice: NoticeKind, text: string) {
		this.send(entry, { type: "notice", notice, text });
	}

	/** Sends to the client, or keeps it (at most 10) until the client says it is ready. */
	private send(entry: Entry, message: ServerMessage) {
		if (entry.gone) return;
		if (message.type === "status") entry.statusKnown = true;
		if (entry.ready) return this.ports.notices.send(entry.player, message);
		if (entry.queued.size() >= MAX_QUEUED_NOTICES) entry.queued.remove(0);
		entry.queued.push(message);
	}

	private onClientReady(player: Player) {
		const entry = this.entries.get(player.UserId);
		if (!entry || entry.player !== player) return;
		if (entry.ready) {
			// A restarted client (a second "ready", e.g. a GUI with ResetOnSpawn) gets the current status again.
			if (entry.statusKnown) {
				this.ports.notices.send(player, { type: "status", isPcCafe: entry.session.isPcCafe() });
			}
			return;
		}
		entry.ready = true;
		for (const message of entry.queued) this.ports.notices.send(player, message);
		entry.queued.clear();
	}

	private warnOnce(key: string, message: string) {
		if (this.warned.has(key)) return;
		this.warned.add(key);
		this.ports.log.warn(message);
	}

	/** Only with `debug`; anything shaped like a key is masked. */
	private debug(message: string) {
		if (this.config.debug) this.ports.log.info(maskKeyLike(message));
	}
}
