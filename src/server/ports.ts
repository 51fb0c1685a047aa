import { Cancel } from "../clock/Clock";
import { ServerMessage } from "../shared/messages";

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
