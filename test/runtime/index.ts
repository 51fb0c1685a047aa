// Headless Roblox test runtime: public API.
export { World, type WorldOptions } from "./world";
export { Server, PlayerHandle, ServerPlayers, ServerTeleports, ServerRemotes } from "./server";
export { Client } from "./client";
export { loadProjectTree, type TreeNode } from "./project";
export type * from "./types";
