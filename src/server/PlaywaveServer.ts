import { Signal } from "@rbxts/beacon";
import { t } from "@rbxts/t";
import { Clock } from "../clock/Clock";
import { describeFailure, isTransient } from "../protocol/outcomes";
import { PlaywaveConnection } from "../PlaywaveConnection";
import { PlaywaveSession } from "../session/PlaywaveSession";
import { EndResult, LostCode, RejectReason } from "../session/SessionState";
import { NoticeKind, ServerMessage } from "../shared/messages";
import { ResolvedConfig, VerifyReason } from "./config";
import { AnalyticsPort, LogPort, NoticePort, PlayersPort, ShutdownPort, TeleportPort } from "./ports";
import { OutcomeAnalytics } from "./analytics/OutcomeAnalytics";
import { ConnectionMonitor, ConnectionStatus } from "./stats/ConnectionMonitor";
import { PlaywaveStats, takeStats } from "./stats/PlaywaveStats";
import { SessionTally } from "./stats/SessionTally";

/** The key under which hand-over data rides in TeleportData, next to the game's own. */
export const HANDOVER_KEY = "playwave";
/** A teleport prepared longer ago than this is assumed abandoned: the player's leave then ends the session. */
const TELEPORT_PREPARE_TTL = 120;
/** Notices kept for a client that has not said it is ready. */
const MAX_QUEUED_NOTICES = 10;

const handoverShape = t.interface({ gameSessionId: t.string });

interface Entry {
	readonly player: Player;
	readonly session: PlaywaveSession;
	/** When `prepareForTeleport` ran, while a teleport may be under way. */
	teleportPreparedAt?: number;
	ready: boolean;
	readonly queued: Array<ServerMessage>;
}

export interface ServerPorts {
	readonly players: PlayersPort;
	readonly shutdown: ShutdownPort;
	readonly teleports: TeleportPort;
	readonly notices: NoticePort;
	readonly log: LogPort;
	readonly clock: Clock;
	/** `HttpService.HttpEnabled`. */
	readonly httpEnabled: () => boolean;
	/** `AnalyticsService`, used only when `config.analytics` is on. */
	readonly analytics?: AnalyticsPort;
}

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
 * The server facade: examines every player at once, runs one `PlaywaveSession` per PlayWave player,
 * ends sessions on leave and shutdown, hands sessions over across teleports, applies the default
 * actions, and reports everything through events and the game's callbacks.
 */
export class PlaywaveServer {
	/** Every player's verify result, normal players (`NO_OTT`) included. */
	readonly verified = new Signal<[player: Player, isPcCafe: boolean, reason: VerifyReason, detail?: RejectReason]>();
	/** A player is playing as a PC-cafe user (after verify or resume). */
	readonly pcCafe = new Signal<[player: Player]>();
	readonly chargeExhausted = new Signal<[player: Player]>();
	readonly replaced = new Signal<[player: Player]>();
	readonly lost = new Signal<[player: Player, code: LostCode]>();
	readonly ended = new Signal<[player: Player, result: EndResult]>();
	/**
	 * The connection's condition changed (healthy, paused for an outage or a 429, misconfigured): a game
	 * can page someone or show a banner. See `getStats().connection`.
	 */
	readonly connectionChanged: Signal<[status: ConnectionStatus, previous: ConnectionStatus]>;

	private readonly entries = new Map<number, Entry>();
	private closing = false;
	private readonly warned = new Set<string>();
	private started = false;
	private readonly tally = new SessionTally();
	private readonly monitor: ConnectionMonitor;
	private analytics?: OutcomeAnalytics;

	constructor(
		private readonly config: ResolvedConfig,
		private readonly connection: PlaywaveConnection,
		private readonly ports: ServerPorts,
	) {
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

	/** Wires players, shutdown, teleports and client readiness. Players already in the server are examined now. */
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

	/** True while the player has a verified, billing PC-cafe session. */
	isPcCafeUser(player: Player): boolean {
		return this.entries.get(player.UserId)?.session.isPcCafe() ?? false;
	}

	/** The player's session, if they have one on this server. */
	getSession(player: Player): PlaywaveSession | undefined {
		return this.entries.get(player.UserId)?.session;
	}

	/**
	 * Call before `TeleportService:TeleportAsync`: adds the hand-over data to the options (keeping the
	 * game's own TeleportData) so the destination resumes the session, and makes the departure not end
	 * it. Heartbeats continue until the player actually leaves, so a failed teleport loses nothing.
	 * Returns false when the player has no live session (the teleport can go ahead regardless).
	 */
	prepareForTeleport(player: Player, options: TeleportOptions): boolean {
		const entry = this.entries.get(player.UserId);
		const gameSessionId = entry?.session.getGameSessionId();
		if (!entry || gameSessionId === undefined || entry.session.getStatus() !== "ACTIVE") return false;
		const existing = this.ports.teleports.getTeleportData(options);
		const data: Record<string, unknown> = typeIs(existing, "table") ? { ...(existing as object) } : {};
		if (existing !== undefined && !typeIs(existing, "table")) data.value = existing;
		data[HANDOVER_KEY] = { gameSessionId };
		this.ports.teleports.setTeleportData(options, data);
		entry.teleportPreparedAt = this.ports.clock.now();
		return true;
	}

	/** Ends every live session concurrently and waits, within the configured deadline. Idempotent. */
	shutdown() {
		this.closing = true;
		// Ends may now use nearly the whole HttpService budget, and keep trying until just before the deadline.
		this.connection.scheduler.enterShutdown();
		const endTimeout = math.max(1, this.config.shutdownTimeoutSec - 1);
		const pending = new Array<Promise<EndResult>>();
		for (const [, entry] of this.entries) pending.push(this.release(entry, endTimeout));
		this.entries.clear();
		if (pending.isEmpty()) return;
		this.ports.log.info(`ending ${pending.size()} PlayWave session(s) before shutdown`);
		// Each end has its own deadline; this one bounds the whole wait on the injected clock.
		const deadline = new Promise<void>((resolve) => {
			this.ports.clock.delay(this.config.shutdownTimeoutSec, () => resolve());
		});
		Promise.race([Promise.all(pending).andThen(() => {}), deadline]).await();
	}

	// --- players --------------------------------------------------------------------------------

	private onJoin(player: Player) {
		if (this.closing || this.entries.has(player.UserId)) return;
		const session = this.connection.createSession(player.UserId);
		const entry: Entry = { player, session, ready: false, queued: [] };
		this.entries.set(player.UserId, entry);
		this.wire(entry);
		// After wire: signals call the newest connection first, so the stats count an outcome before the
		// game's callbacks and the facade's events see it.
		this.tally.track(session);
		const joinData = this.ports.players.joinData(player);
		const handover = this.handoverIn(joinData.TeleportData);
		if (handover !== undefined) {
			session.resume(handover, true);
		} else {
			session.start(joinData.LaunchData);
		}
	}

	/** The session id handed over by a teleport. Nothing else in the (client-carried) data is trusted. */
	private handoverIn(teleportData: unknown): string | undefined {
		if (!typeIs(teleportData, "table")) return undefined;
		const handover = (teleportData as Record<string, unknown>)[HANDOVER_KEY];
		if (!handoverShape(handover)) return undefined;
		const id = handover.gameSessionId;
		return id.match("^gs_[%w%-]+$")[0] !== undefined && id.size() <= 64 ? id : undefined;
	}

	private onLeave(player: Player) {
		const entry = this.entries.get(player.UserId);
		if (!entry || entry.player !== player) return;
		this.entries.delete(player.UserId);
		const prepared = entry.teleportPreparedAt;
		if (prepared !== undefined && this.ports.clock.now() - prepared <= TELEPORT_PREPARE_TTL) {
			// Leaving by teleport: the destination resumes the session; this server neither beats nor ends it.
			entry.session.handOff();
		}
		this.release(entry).catch((problem) => this.ports.log.warn(`ending a session failed: ${tostring(problem)}`));
	}

	private onTeleportFailed(player: Player) {
		const entry = this.entries.get(player.UserId);
		if (entry) entry.teleportPreparedAt = undefined;
	}

	/** Ends the session (or not, if it was handed off, replaced or lost) and destroys it once settled. */
	private release(entry: Entry, timeoutSec?: number): Promise<EndResult> {
		return entry.session.endSession(timeoutSec).andThen((result) => {
			entry.session.destroy();
			this.tally.untrack(entry.session);
			return result;
		});
	}

	// --- events and default actions -------------------------------------------------------------

	private wire(entry: Entry) {
		const { player, session } = entry;
		const { actions, texts } = this.config;
		session.verified.Connect((_, isPcCafe) => {
			this.emitVerified(player, isPcCafe, "VERIFIED");
			this.afterPcCafe(entry, isPcCafe);
		});
		session.resumed.Connect(() => {
			this.emitVerified(player, session.isPcCafe(), "RESUMED");
			this.afterPcCafe(entry, session.isPcCafe());
		});
		session.rejected.Connect((reason) => {
			this.emitVerified(player, false, verifyReasonOf(reason), reason);
			const state = session.getState();
			const failure = state.status === "REJECTED" ? state.failure : undefined;
			// A refused key or request is warned by the connection, once; other configuration problems
			// (HTTP disabled, an undocumented status) once here, not once per player.
			if (failure && !isTransient(failure) && failure.kind !== "InvalidApiKey" && failure.kind !== "BadRequest") {
				this.warnOnce(failure.kind, `verify failed: ${describeFailure(failure)}`);
			}
			if (reason === "OTT_ALREADY_USED" && actions.kickOnDuplicate) this.kick(player, texts.kickDuplicate);
			if (reason === "GAME_MISMATCH" && actions.kickOnGameMismatch) this.kick(player, texts.kickGameMismatch);
			if (reason === "NOT_CHARGEABLE" && actions.notifyNotChargeable) {
				this.notify(entry, "NOT_CHARGEABLE", texts.noticeNotChargeable);
			}
			if (reason === "OTT_EXPIRED" && actions.notifyOttExpired) {
				this.notify(entry, "OTT_EXPIRED", texts.noticeOttExpired);
			}
		});
		session.chargeExhausted.Connect(() => {
			this.callback("onChargeExhausted", () => this.config.callbacks.onChargeExhausted?.(player));
			this.chargeExhausted.Fire(player);
			if (actions.notifyChargeExhausted) this.notify(entry, "CHARGE_EXHAUSTED", texts.noticeChargeExhausted);
		});
		session.replaced.Connect(() => {
			// Benefits go; the session is not ended (the new one on the same PC carries on).
			this.callback("onReplaced", () => this.config.callbacks.onReplaced?.(player));
			this.replaced.Fire(player);
			this.send(entry, { type: "status", isPcCafe: false });
			if (actions.notifyReplaced) this.notify(entry, "SESSION_REPLACED", texts.noticeReplaced);
		});
		session.lost.Connect((code) => {
			this.callback("onLost", () => this.config.callbacks.onLost?.(player, code));
			this.lost.Fire(player, code);
			this.send(entry, { type: "status", isPcCafe: false });
			if (code === "TTL_EXPIRED") {
				// Not when PlayWave is refusing our key or requests: that is ours to fix (and was warned
				// about), not something to tell players PlayWave "could not be reached" for.
				const refused = this.connection.scheduler.trouble() === "refused";
				if (actions.notifySessionLost && !refused) this.notify(entry, "SESSION_LOST", texts.noticeSessionLost);
			} else if (actions.kickOnSessionLost) {
				this.kick(player, texts.kickSessionLost);
			}
		});
		session.ended.Connect((result) => {
			if (result.kind === "NotNeeded") return;
			this.callback("onEnded", () => this.config.callbacks.onEnded?.(player, result));
			this.ended.Fire(player, result);
		});
		session.errored.Connect((message) => this.debug(`${player.Name}: ${message}`));
		if (this.config.debug) {
			session.stateChanged.Connect((state, previous) =>
				this.ports.log.info(`${player.Name}: ${previous.status} -> ${state.status}`),
			);
		}
	}

	private afterPcCafe(entry: Entry, isPcCafe: boolean) {
		this.send(entry, { type: "status", isPcCafe });
		if (!isPcCafe) return;
		this.callback("onPcCafe", () => this.config.callbacks.onPcCafe?.(entry.player));
		this.pcCafe.Fire(entry.player);
	}

	private emitVerified(player: Player, isPcCafe: boolean, reason: VerifyReason, detail?: RejectReason) {
		this.callback("onVerified", () => this.config.callbacks.onVerified?.(player, isPcCafe, reason, detail));
		this.verified.Fire(player, isPcCafe, reason, detail);
	}

	private kick(player: Player, message: string) {
		this.ports.players.kick(player, message);
	}

	private notify(entry: Entry, notice: NoticeKind, text: string) {
		this.send(entry, { type: "notice", notice, text });
	}

	/** Sends to the client, or keeps it until the client says it is ready. */
	private send(entry: Entry, message: ServerMessage) {
		if (entry.ready) return this.ports.notices.send(entry.player, message);
		if (entry.queued.size() >= MAX_QUEUED_NOTICES) entry.queued.remove(0);
		entry.queued.push(message);
	}

	private onClientReady(player: Player) {
		const entry = this.entries.get(player.UserId);
		if (!entry || entry.ready) return;
		entry.ready = true;
		for (const message of entry.queued) this.ports.notices.send(player, message);
		entry.queued.clear();
	}

	/** Runs a game callback; an error in it is logged and never breaks the session flow. */
	private callback(name: string, run: () => void) {
		const [ok, problem] = pcall(run);
		if (!ok) this.ports.log.warn(`${name} callback errored: ${tostring(problem)}`);
	}

	private warnOnce(key: string, message: string) {
		if (this.warned.has(key)) return;
		this.warned.add(key);
		this.ports.log.warn(message);
	}

	private debug(message: string) {
		if (this.config.debug) this.ports.log.info(message);
	}
}
