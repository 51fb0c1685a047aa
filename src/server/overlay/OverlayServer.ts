import { Cancel, Clock } from "../../clock/Clock";
import { PlaywaveSession } from "../../session/PlaywaveSession";
import { ServerMessage } from "../../shared/messages";
import { OverlayPlayer, OverlayServer as OverlayServerStats, OverlaySnapshot } from "../../shared/overlay";
import { LogPort, NoticePort, OverlayPort, PlayersPort } from "../../ports/ports";
import type { PlaywaveServer } from "../PlaywaveServer";
import { PlaywaveStats } from "../stats/PlaywaveStats";

/** Notices kept per player for the panel. */
const KEPT_NOTICES = 5;
/** How often subscribed panels are refreshed (and at once after each outcome). */
export const OVERLAY_REFRESH_SEC = 1;

/** Who may see the overlay. */
export interface OverlayAccess {
	/** `RunService:IsStudio()`: in Studio every player may. */
	readonly isStudio: boolean;
	/** On a live server, only these users; nobody when empty. */
	readonly liveUserIds: ReadonlyArray<number>;
}

/** Remembers the notices each player's client was sent, for the panel. */
export class NoticeLog {
	private readonly byUser = new Map<number, Array<string>>();
	/** Told after each notice is sent (the overlay refreshes that player's panel). */
	onNotice?: (player: Player) => void;

	/** Wraps the notice port so every notice sent is remembered. */
	wrap(port: NoticePort): NoticePort {
		return {
			...port,
			send: (player: Player, message: ServerMessage) => {
				if (message.type === "notice") {
					const list = this.byUser.get(player.UserId) ?? [];
					list.push(message.notice);
					if (list.size() > KEPT_NOTICES) list.remove(0);
					this.byUser.set(player.UserId, list);
				}
				port.send(player, message);
				if (message.type === "notice") this.onNotice?.(player);
			},
		};
	}

	of(userId: number): Array<string> {
		return [...(this.byUser.get(userId) ?? [])];
	}

	forget(userId: number) {
		this.byUser.delete(userId);
	}
}

interface Record_ {
	verifyResult?: string;
	verifyDetail?: string;
	lastResult?: string;
	/** The session whose heartbeats feed `lastResult`. */
	watched?: PlaywaveSession;
}

/** Flattens the stats snapshot for the panel. */
export function overlayServerStats(stats: PlaywaveStats): OverlayServerStats {
	const sessions: Record<string, number> = {};
	for (const [status, count] of pairs(stats.sessions)) if (count > 0) sessions[status] = count;
	const sum = (record: object) => {
		let total = 0;
		for (const [, value] of pairs(record as Record<string, number>)) total += value;
		return total;
	};
	const connection = stats.connection;
	const failure = connection.lastFailure;
	return {
		sessions,
		sentLastMinute: stats.requests.sentLastMinute,
		refusedLastMinute: stats.requests.refusedLastMinute,
		share: stats.requests.share,
		engineLimit: stats.requests.engineLimit,
		queued: stats.requests.queued,
		inFlight: stats.requests.inFlight,
		condition: connection.condition,
		cause: connection.cause,
		conditionForSec: math.max(0, math.floor(stats.at - connection.since)),
		lastFailure:
			failure !== undefined
				? `${failure.failureClass}${failure.status !== undefined ? ` ${failure.status}` : ""} (${failure.kind}, ${math.floor(stats.at - failure.at)} s ago)`
				: undefined,
		verified: stats.totals.verified,
		rejected: sum(stats.totals.rejected) - stats.totals.rejected.NO_OTT,
		lost: sum(stats.totals.lost),
		replaced: stats.totals.replaced,
		chargeExhausted: stats.totals.chargeExhausted,
		ended: sum(stats.totals.ended),
		handedOver: stats.totals.handedOver,
		resumed: stats.totals.resumed,
	};
}

/**
 * The server side of the Studio overlay: sends each subscribed client its player's PlayWave state and
 * the server's stats, every second and at once after each outcome. In Studio every player may
 * subscribe; on a live server only the listed UserIds (others are refused, and told nothing).
 */
export class PlaywaveOverlayServer {
	private readonly records = new Map<number, Record_>();
	private readonly subscribers = new Map<number, Player>();
	private cancelTick?: Cancel;
	private readonly refusedWarned = new Set<number>();
	/** Players whose panel is refreshed at the next tick of the clock (one push for several outcomes). */
	private readonly pending = new Set<number>();

	constructor(
		private readonly server: PlaywaveServer,
		private readonly port: OverlayPort,
		private readonly notices: NoticeLog,
		private readonly players: PlayersPort,
		private readonly clock: Clock,
		private readonly log: LogPort,
		private readonly access: OverlayAccess,
	) {
		server.verified.Connect((player, _, reason, detail) => {
			const record = this.record(player);
			record.verifyResult = reason;
			record.verifyDetail = detail !== reason ? detail : undefined;
			if (reason === "VERIFIED" || reason === "RESUMED") record.lastResult = reason;
			this.pushTo(player);
		});
		server.chargeExhausted.Connect((player) => this.outcome(player, "CHARGE_EXHAUSTED"));
		server.replaced.Connect((player) => this.outcome(player, "REPLACED"));
		server.lost.Connect((player, code) => this.outcome(player, `LOST ${code}`));
		server.ended.Connect((player, result) => this.outcome(player, `ENDED ${result.kind}`));
		port.onSubscribe((player) => this.subscribe(player));
		notices.onNotice = (player) => this.pushTo(player);
	}

	/** Whether this player may see the overlay. */
	allowed(player: Player): boolean {
		return this.access.isStudio || this.access.liveUserIds.includes(player.UserId);
	}

	/** The player's snapshot now (also what is sent). */
	snapshotFor(player: Player, stats = this.server.getStats()): OverlaySnapshot {
		return { type: "overlay", player: this.playerState(player), server: overlayServerStats(stats) };
	}

	destroy() {
		this.cancelTick?.();
		this.cancelTick = undefined;
		this.subscribers.clear();
	}

	private subscribe(player: Player) {
		if (!this.allowed(player)) {
			if (!this.refusedWarned.has(player.UserId)) {
				this.refusedWarned.add(player.UserId);
				this.log.warn(
					`overlay refused for ${player.Name} (${player.UserId}): on a live server only config.overlay.liveUserIds may see it`,
				);
			}
			return;
		}
		this.subscribers.set(player.UserId, player);
		this.port.send(player, this.snapshotFor(player));
		this.scheduleTick();
	}

	private scheduleTick() {
		if (this.cancelTick !== undefined) return;
		this.cancelTick = this.clock.delay(OVERLAY_REFRESH_SEC, () => {
			this.cancelTick = undefined;
			this.forgetDeparted();
			if (this.subscribers.isEmpty()) return;
			const stats = this.server.getStats();
			for (const [, player] of this.subscribers) this.port.send(player, this.snapshotFor(player, stats));
			this.scheduleTick();
		});
	}

	/** Players who left no longer get snapshots, and what was kept about them goes. */
	private forgetDeparted() {
		const present = new Set<number>();
		for (const player of this.players.getPlayers()) present.add(player.UserId);
		for (const [userId] of this.subscribers) if (!present.has(userId)) this.subscribers.delete(userId);
		for (const [userId] of this.records) {
			if (present.has(userId)) continue;
			this.records.delete(userId);
			this.notices.forget(userId);
		}
	}

	private outcome(player: Player, result: string) {
		this.record(player).lastResult = result;
		this.pushTo(player);
	}

	/** Refreshes the player's panel once the outcome's handlers have all run (the notice sent, the stats counted). */
	private pushTo(player: Player) {
		if (this.subscribers.get(player.UserId) !== player || this.pending.has(player.UserId)) return;
		this.pending.add(player.UserId);
		this.clock.delay(0, () => {
			this.pending.delete(player.UserId);
			if (this.subscribers.get(player.UserId) === player) this.port.send(player, this.snapshotFor(player));
		});
	}

	private record(player: Player): Record_ {
		let record = this.records.get(player.UserId);
		if (!record) {
			// With nobody subscribed nothing prunes on a timer: prune here now and then.
			if (this.records.size() >= 1000) this.forgetDeparted();
			record = {};
			this.records.set(player.UserId, record);
		}
		return record;
	}

	private playerState(player: Player): OverlayPlayer {
		const record = this.record(player);
		// The last session seen stays on show after the facade let go of it (a kick, a leave).
		const current = this.server.getSession(player);
		const session = current ?? record.watched;
		if (current && record.watched !== current) {
			record.watched = current;
			current.heartbeat.Connect(() => {
				const state = current.getState();
				record.lastResult = state.status === "ACTIVE" && state.chargeExhausted ? "CHARGE_EXHAUSTED" : "OK";
				this.pushTo(player);
			});
		}
		const state = session?.getState();
		const nextAt = session?.nextHeartbeatAt();
		return {
			status: state?.status ?? "NONE",
			verifyResult: record.verifyResult,
			verifyDetail: record.verifyDetail,
			isPcCafe: session?.isPcCafe() ?? false,
			chargeExhausted: state?.status === "ACTIVE" && state.chargeExhausted,
			nextHeartbeatInSec: nextAt !== undefined ? math.max(0, math.ceil(nextAt - this.clock.now())) : undefined,
			lastResult: record.lastResult,
			notices: this.notices.of(player.UserId),
		};
	}
}
