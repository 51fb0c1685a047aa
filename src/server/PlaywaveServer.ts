import { Signal } from "@rbxts/beacon";
import { t } from "@rbxts/t";
import { Clock } from "../clock/Clock";
import { describeFailure, isTransient } from "../protocol/outcomes";
import { PlaywaveConnection } from "../session/PlaywaveConnection";
import { PlaywaveSession } from "../session/PlaywaveSession";
import { EndResult, LostCode, RejectReason } from "../session/SessionState";
import { NoticeKind, ServerMessage } from "../shared/messages";
import { ResolvedConfig, VerifyReason } from "./config";
import { ACTION_POLICY, PolicyOutcome } from "./policy";
import { LogPort, NoticePort, PlayersPort, ShutdownPort, TeleportPort } from "./ports";

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

	private readonly entries = new Map<number, Entry>();
	private closing = false;
	private readonly warned = new Set<string>();
	private started = false;

	/** @internal Built by `Playwave.start`. */
	constructor(
		private readonly config: ResolvedConfig,
		private readonly connection: PlaywaveConnection,
		private readonly ports: ServerPorts,
	) {}

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
			return result;
		});
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
			if (state.status === "REJECTED" && state.failure && !isTransient(state.failure)) {
				// A configuration problem (key, HTTP disabled): say it once, not once per player.
				this.warnOnce(state.failure.kind, `verify failed: ${describeFailure(state.failure)}`);
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
			this.react(entry, code);
		});
		session.ended.Connect((result) => {
			if (result.kind !== "NotNeeded") this.emit("ended", player, result);
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
		if (reaction.kick && actions[reaction.kick.action]) this.kick(entry.player, texts[reaction.kick.text]);
		if (reaction.notify && actions[reaction.notify.action]) {
			this.notify(entry, reaction.notify.notice, texts[reaction.notify.text]);
		}
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

	private warnOnce(key: string, message: string) {
		if (this.warned.has(key)) return;
		this.warned.add(key);
		this.ports.log.warn(message);
	}

	private debug(message: string) {
		if (this.config.debug) this.ports.log.info(message);
	}
}
