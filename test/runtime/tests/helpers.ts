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
	const world = await World.create();
	worlds.push(world);
	const server = await world.createServer({ project: BASIC_PROJECT, ...options });
	await server.start();
	return { world, server };
}

/** A fresh world for tests that need several servers. */
export async function newWorld(): Promise<World> {
	const world = await World.create();
	worlds.push(world);
	return world;
}
