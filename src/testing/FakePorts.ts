import { FakeHandoverStore } from "./FakeHandoverStore";
import { ManualClock } from "./ManualClock";
import { ServerPorts } from "../ports/ports";
import { ServerMessage } from "../shared/messages";

/** A stand-in for a Roblox Player: what the facade reads, and what happened to it. */
export interface FakePlayer {
	UserId: number;
	Name: string;
	launchData?: unknown;
	teleportData?: unknown;
	kickedWith?: string;
	received: Array<ServerMessage>;
}

/** The fake as the `Player` the facade's methods take. */
export function asPlayer(player: FakePlayer): Player {
	return player as unknown as Player;
}

/** The engine as fakes: players join and leave, the server closes, teleports fail, on the manual clock. */
export class FakeEngine {
	readonly players = new Array<FakePlayer>();
	readonly warnings = new Array<string>();
	readonly infos = new Array<string>();
	httpEnabled = true;
	/** Every AnalyticsService:LogCustomEvent call, in order. */
	readonly analyticsEvents = new Array<{
		userId: number;
		eventName: string;
		value: number;
		customFields?: Record<string, string>;
		at: number;
	}>();
	/** Makes LogCustomEvent error, as the engine does for a bad argument. */
	analyticsFails = false;
	private added?: (player: Player) => void;
	private removing?: (player: Player) => void;
	private teleportFailed?: (player: Player) => void;
	private ready?: (player: Player) => void;
	private closeCallback?: () => void;

	readonly ports: ServerPorts;

	/** Unix time at clock 0 (the wall clock every server shares). */
	static readonly EPOCH = 1_700_000_000;

	/** Servers of one experience share a store: pass the same one to each. */
	constructor(
		readonly clock: ManualClock,
		readonly store: FakeHandoverStore = new FakeHandoverStore(clock),
	) {
		this.ports = this.makePorts();
	}

	private makePorts(): ServerPorts {
		return {
			players: {
				getPlayers: () => this.players as unknown as Array<Player>,
				onPlayerAdded: (callback) => {
					this.added = callback;
					return () => (this.added = undefined);
				},
				onPlayerRemoving: (callback) => {
					this.removing = callback;
					return () => (this.removing = undefined);
				},
				joinData: (player) => {
					const fake = player as unknown as FakePlayer;
					return { LaunchData: fake.launchData, TeleportData: fake.teleportData };
				},
				kick: (player, message) => {
					const fake = player as unknown as FakePlayer;
					fake.kickedWith = message;
					this.leave(fake);
				},
			},
			shutdown: { bindToClose: (callback) => (this.closeCallback = callback) },
			teleports: {
				onTeleportInitFailed: (callback) => {
					this.teleportFailed = callback;
					return () => (this.teleportFailed = undefined);
				},
				getTeleportData: (options) => (options as unknown as { data?: unknown }).data,
				setTeleportData: (options, data) => ((options as unknown as { data?: unknown }).data = data),
			},
			notices: {
				send: (player, message) => (player as unknown as FakePlayer).received.push(message),
				onReady: (callback) => {
					this.ready = callback;
					return () => (this.ready = undefined);
				},
			},
			log: {
				info: (message) => this.infos.push(message),
				warn: (message) => this.warnings.push(message),
			},
			clock: this.clock,
			handover: this.store,
			wallClock: () => FakeEngine.EPOCH + this.clock.now(),
			httpEnabled: () => this.httpEnabled,
			analytics: {
				logCustomEvent: (player, eventName, value, customFields) => {
					if (this.analyticsFails) error("AnalyticsService: the event was refused");
					this.analyticsEvents.push({
						userId: player.UserId,
						eventName,
						value,
						customFields: customFields as Record<string, string> | undefined,
						at: this.clock.now(),
					});
				},
				playerCount: () => this.players.size(),
			},
		};
	}

	join(userId: number, launchData?: unknown, teleportData?: unknown): FakePlayer {
		const player: FakePlayer = { UserId: userId, Name: `player${userId}`, launchData, teleportData, received: [] };
		this.players.push(player);
		this.added?.(player as unknown as Player);
		return player;
	}

	leave(player: FakePlayer) {
		const index = this.players.indexOf(player);
		if (index === -1) return;
		this.removing?.(player as unknown as Player);
		this.players.remove(index);
	}

	clientReady(player: FakePlayer) {
		this.ready?.(player as unknown as Player);
	}

	failTeleport(player: FakePlayer) {
		this.teleportFailed?.(player as unknown as Player);
	}

	/** True once the BindToClose callback has returned (the engine would then finish closing). */
	closeReturned = false;

	/** Runs the BindToClose callback on its own thread, as the engine does. */
	close() {
		const callback = this.closeCallback;
		if (!callback) return;
		task.spawn(() => {
			callback();
			this.closeReturned = true;
		});
	}
}
