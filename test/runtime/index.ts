// Headless Roblox test runtime: public API.
export { World, type WorldOptions } from "./world";
export {
	Server,
	PlayerHandle,
	ServerPlayers,
	ServerTeleports,
	ServerRemotes,
	CLOSE_REASONS,
	PLAYER_EXIT_REASONS,
	type CloseReason,
	type PlayerExitReason,
	type LeaveCause,
} from "./server";
export { Client } from "./client";
export { loadProjectTree, type TreeNode } from "./project";
export type * from "./types";
export { MemoryStore } from "./memoryStore";
export type * from "./memoryStore";
export { Messaging } from "./messaging";
export type * from "./messaging";
export { Analytics, type AnalyticsEvent } from "./analytics";
