import { Cancel, Clock } from "../clock/Clock";
import { HandoverStore } from "./HandoverStore";
import { ServerMessage } from "../shared/messages";
import { OverlaySnapshot } from "../shared/overlay";

/** Everything the server facade asks of the engine: the ports below, the clock and a few facts. */
export interface ServerPorts {
	readonly players: PlayersPort;
	readonly shutdown: ShutdownPort;
	readonly teleports: TeleportPort;
	readonly notices: NoticePort;
	readonly log: LogPort;
	readonly clock: Clock;
	/** The cross-server store of hand-overs (a MemoryStoreService hash map). */
	readonly handover: HandoverStore;
	/** Unix seconds, the same on every server: the hand-over's prepared-at. */
	readonly wallClock: () => number;
	/** `HttpService.HttpEnabled`. */
	readonly httpEnabled: () => boolean;
	/** `AnalyticsService`, used only when `config.analytics` is on. */
	readonly analytics?: AnalyticsPort;
}

/**
 * The engine as the server facade sees it. The engine-backed implementations live in `engine.ts`;
 * specs pass fakes.
 */
export interface PlayersPort {
	readonly getPlayers: () => ReadonlyArray<Player>;
	readonly onPlayerAdded: (callback: (player: Player) => void) => Cancel;
	readonly onPlayerRemoving: (callback: (player: Player) => void) => Cancel;
	/** `Player:GetJoinData()` — LaunchData and TeleportData. */
	readonly joinData: (player: Player) => { LaunchData?: unknown; TeleportData?: unknown };
	readonly kick: (player: Player, message: string) => void;
}

export interface ShutdownPort {
	/** `game:BindToClose`: the callback may yield; the engine allows about 30 s in all. */
	readonly bindToClose: (callback: () => void) => void;
}

export interface TeleportPort {
	readonly onTeleportInitFailed: (callback: (player: Player) => void) => Cancel;
	readonly getTeleportData: (options: TeleportOptions) => unknown;
	readonly setTeleportData: (options: TeleportOptions, data: object) => void;
}

export interface NoticePort {
	readonly send: (player: Player, message: ServerMessage) => void;
	readonly onReady: (callback: (player: Player) => void) => Cancel;
}

export interface LogPort {
	readonly info: (message: string) => void;
	readonly warn: (message: string) => void;
}

/**
 * What `Playwave.start` asks of the engine before anything is wired. A seam so specs can play Studio
 * or a live server; `engineHost()` in `engine.ts` is the real one.
 */
export interface HostPort {
	/** `RunService:IsServer()`. */
	readonly isServer: () => boolean;
	/** `RunService:IsStudio()`: play-test mode is refused when false. */
	readonly isStudio: () => boolean;
	/** `HttpService:GetSecret(name)`. */
	readonly getSecret: (name: string) => Secret;
	/** Unix time in seconds, the same on every server (play-test session ids carry it across teleports). */
	readonly wallClock: () => number;
	/** `HttpService:JSONEncode`: the play-test stand-in writes its replies with it. */
	readonly encodeJson: (value: unknown) => string;
	/** `HttpService:GenerateGUID(false)`: the play-test stand-in's tokens and ids. */
	readonly newUuid: () => string;
	/** The engine-backed ports of the server facade. */
	readonly serverPorts: (remoteName: string) => ServerPorts;
	/** The Studio overlay's RemoteEvent (created on first call); absent where there is none. */
	readonly overlayPort?: () => OverlayPort;
}

/** The Studio overlay's RemoteEvent as the server sees it. The engine adapter is in `engine.ts`. */
export interface OverlayPort {
	readonly send: (player: Player, snapshot: OverlaySnapshot) => void;
	/** A client asked for snapshots. */
	readonly onSubscribe: (callback: (player: Player) => void) => Cancel;
}

/** The custom-field keys `AnalyticsService` uses for breakdowns (`Enum.AnalyticsCustomFieldKeys`). */
export type AnalyticsCustomFields = Partial<Record<"CustomField01" | "CustomField02" | "CustomField03", string>>;

/** Roblox's `AnalyticsService` as the SDK uses it: one method. The engine adapter is in `engine.ts`. */
export interface AnalyticsPort {
	/** `AnalyticsService:LogCustomEvent(player, eventName, value, customFields)`. */
	readonly logCustomEvent: (
		player: Player,
		eventName: string,
		value: number,
		customFields?: AnalyticsCustomFields,
	) => void;
	/** Players in the server now: the service's rate limit grows with them. */
	readonly playerCount: () => number;
}
