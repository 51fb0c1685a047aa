// Shared set-up for the runtime's own tests.
import { after, afterEach } from "node:test";
import { join } from "node:path";
import { World, type Server, type ServerOptions } from "..";

export const BASIC_PROJECT = join(__dirname, "fixtures", "basic", "basic.project.json");

// Dispose each test's worlds, so the next test's servers reuse their LuauStates.
const worlds: World[] = [];
async function disposeWorlds(): Promise<void> {
	for (const world of worlds.splice(0)) await world.dispose();
}
afterEach(disposeWorlds);
after(disposeWorlds);

/** A started server on the basic fixture place, in a fresh world. */
export async function basicServer(options: Partial<ServerOptions> = {}): Promise<{ world: World; server: Server }> {
	const world = await newWorld();
	const server = await startServer(world, options);
	return { world, server };
}

/** A fresh world for tests that need several servers. */
export async function newWorld(): Promise<World> {
	const world = await World.create();
	worlds.push(world);
	return world;
}

/** A server on the basic fixture place (`options` over it) in `world`, started. */
export async function startServer(world: World, options: Partial<ServerOptions> = {}): Promise<Server> {
	const server = await world.createServer({ project: BASIC_PROJECT, ...options });
	await server.start();
	return server;
}

/**
 * `n` started servers of one published place (PlaceId 100, JobIds s1, s2, …) in a fresh world: what the
 * cross-server tests (MemoryStoreService, MessagingService) start from. `options` apply to every one.
 */
export async function placeServers(
	n: number,
	options: { gameId?: number; studio?: boolean } = {},
): Promise<[World, Server[]]> {
	const world = await newWorld();
	const list: Server[] = [];
	for (let i = 0; i < n; i++) list.push(await startServer(world, { placeId: 100, jobId: `s${i + 1}`, ...options }));
	return [world, list];
}
