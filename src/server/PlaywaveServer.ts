import { Signal } from "@rbxts/beacon";
import { Handover } from "../handover/handover";
import { PlaywaveConnection } from "../session/PlaywaveConnection";
import { PlaywaveSession } from "../session/PlaywaveSession";
import { EndResult, LostCode, RejectReason } from "../session/SessionState";
import { ServerPorts } from "../ports/ports";
import { VerifyReason } from "./config/PlaywaveConfig";
import { ResolvedConfig } from "./config/resolveConfig";
import { OutcomeAnalytics } from "./analytics/OutcomeAnalytics";
import { CloseCoordinator } from "./facade/CloseCoordinator";
import { ClientChannel } from "./facade/ClientChannel";
import { Departures } from "./facade/Departures";
import { Diagnostics } from "./facade/Diagnostics";
import { OutcomeEvents } from "./facade/OutcomeEvents";
import { PlayerFlow } from "./facade/PlayerFlow";
import { ServerState } from "./facade/ServerState";
import { ConnectionMonitor, ConnectionStatus } from "./stats/ConnectionMonitor";
import { PlaywaveStats, takeStats } from "./stats/PlaywaveStats";
import { SessionTally } from "./stats/SessionTally";

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

	/** The sessions, departures and ends the parts below share. */
	private readonly state = new ServerState();
	private readonly diagnostics: Diagnostics;
	private readonly flow: PlayerFlow;
	private readonly channel: ClientChannel;
	private readonly close: CloseCoordinator;
	private started = false;
	private readonly tally = new SessionTally();
	private readonly monitor: ConnectionMonitor;
	private analytics?: OutcomeAnalytics;

	/** @internal Built by `Playwave.start`. */
	constructor(
		private readonly config: ResolvedConfig,
		private readonly connection: PlaywaveConnection,
		private readonly ports: ServerPorts,
	) {
		const { state, tally } = this;
		const handover = new Handover(ports.handover);
		const settled = () => this.close.checkClosed();
		this.diagnostics = new Diagnostics(ports.log, config.debug);
		this.channel = new ClientChannel(state, ports.notices);
		const events = new OutcomeEvents(
			this,
			config,
			connection,
			this.channel,
			this.diagnostics,
			ports.players,
			ports.log,
		);
		const departures = new Departures(state, handover, tally, ports.clock, ports.log, this.diagnostics, settled);
		this.flow = new PlayerFlow(
			state,
			connection,
			ports,
			handover,
			tally,
			events,
			departures,
			this.diagnostics,
			settled,
		);
		this.close = new CloseCoordinator(
			state,
			config.shutdownTimeoutSec,
			config.teleportGraceSec,
			connection,
			ports.clock,
			ports.log,
			this.flow,
			departures,
		);
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
		const flow = this.flow;
		players.onPlayerAdded((player) => flow.onJoin(player));
		players.onPlayerRemoving((player) => flow.onLeave(player));
		teleports.onTeleportInitFailed((player) => flow.onTeleportFailed(player));
		notices.onReady((player) => this.channel.onClientReady(player));
		shutdown.bindToClose(() => this.shutdown());
		if (!this.ports.httpEnabled()) {
			this.diagnostics.warnOnce(
				"HttpDisabled",
				"HTTP requests are not enabled (Game Settings > Security > Allow HTTP Requests): PlayWave players cannot be verified",
			);
		}
		for (const player of players.getPlayers()) flow.onJoin(player);
	}

	/** True while the player has a verified, billing PC-cafe session: the moment to grant PC-cafe perks. */
	isPcCafeUser(player: Player): boolean {
		return this.state.entries.get(player.UserId)?.session.isPcCafe() ?? false;
	}

	/** The player's session on this server (for its state and lower-level events), if they have one. */
	getSession(player: Player): PlaywaveSession | undefined {
		return this.state.entries.get(player.UserId)?.session;
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
		return this.flow.prepareForTeleport(player, options);
	}

	/**
	 * The SDK's `BindToClose`. Verifies not yet sent are never sent. Players being teleported out (now or
	 * within the grace, whichever callback runs first) are handed over, not ended; every other session is
	 * ended. Waits, within the configured deadline, for every end in progress (also those a leave started
	 * before the close) and for hand-overs to be claimed. Idempotent: a second call waits for the same close.
	 */
	shutdown() {
		this.close.shutdown();
	}
}
