import { Cancel } from "../clock/Clock";
import type { ServerPorts } from "./PlaywaveServer";
import { ServerMessage } from "../shared/messages";
import type { OverlayPort } from "./overlay/OverlayServer";

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
	/** The engine-backed ports of the server facade. */
	readonly serverPorts: (remoteName: string) => ServerPorts;
	/** The Studio overlay's RemoteEvent (created on first call); absent where there is none. */
	readonly overlayPort?: () => OverlayPort;
}
