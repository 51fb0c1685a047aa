import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { loadProjectTree, type TreeNode } from "..";
import { newWorld } from "./helpers";

function makePlace(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), "playwave-rojo-"));
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), content);
	}
	return join(root, "place.project.json");
}

function shape(node: TreeNode): unknown {
	return { [`${node.name} (${node.className})`]: node.children.map(shape) };
}

const PROJECT = JSON.stringify({
	name: "place",
	tree: {
		$className: "DataModel",
		ReplicatedStorage: {
			$className: "ReplicatedStorage",
			Lib: { $path: "lib" },
			Extra: { $className: "Frobnicator", Inner: { $className: "Folder" } },
			Single: { $path: "lib/c.luau" },
		},
		ServerScriptService: { Main: { $path: "main.server.luau" } },
		Workspace: { $properties: {} },
	},
});

describe("Rojo project mapping", () => {
	it("maps files and folders to instances like Rojo", () => {
		const project = makePlace({
			"place.project.json": PROJECT,
			"main.server.luau": "print('main')",
			"lib/a.server.luau": "",
			"lib/b.client.luau": "",
			"lib/c.luau": "return 1",
			"lib/d.lua": "return 2",
			"lib/e.json": '{"x":1}',
			"lib/readme.md": "",
			"lib/types.d.ts": "",
			"lib/src.ts": "",
			"lib/f.server.lua": "",
			"lib/module/init.luau": "return {}",
			"lib/module/child.lua": "return 3",
			"lib/script/init.server.luau": "",
			"lib/client/init.client.lua": "",
			"lib/plain/k.luau": "return 4",
			"lib/nested/default.project.json": JSON.stringify({ name: "x", tree: { $path: "src" } }),
			"lib/nested/src/init.lua": "return 5",
		});
		const tree = loadProjectTree(project);
		assert.deepEqual(shape(tree), {
			"place (DataModel)": [
				{
					"ReplicatedStorage (ReplicatedStorage)": [
						{
							"Lib (Folder)": [
								{ "a (Script)": [] },
								{ "b (LocalScript)": [] },
								{ "c (ModuleScript)": [] },
								{ "client (LocalScript)": [] },
								{ "d (ModuleScript)": [] },
								{ "e (ModuleScript)": [] },
								{ "f (Script)": [] },
								{ "module (ModuleScript)": [{ "child (ModuleScript)": [] }] },
								{ "nested (ModuleScript)": [] },
								{ "plain (Folder)": [{ "k (ModuleScript)": [] }] },
								{ "script (Script)": [] },
							],
						},
						{ "Extra (Frobnicator)": [{ "Inner (Folder)": [] }] },
						{ "Single (ModuleScript)": [] },
					],
				},
				{ "ServerScriptService (ServerScriptService)": [{ "Main (Script)": [] }] },
				{ "Workspace (Workspace)": [] },
			],
		});
	});

	it("builds the DataModel with real services, runs server scripts and reports compile errors by module", async () => {
		const project = makePlace({
			"place.project.json": PROJECT,
			"main.server.luau": "print('main ran', script:GetFullName())",
			"lib/c.luau": "return function(",
			"lib/e.json": '{"x":1}',
		});
		const world = await newWorld();
		const server = await world.createServer({ project });
		await server.start();
		assert.deepEqual(server.lines("print"), ["main ran ServerScriptService.Main"]);
		const [isService, extra, json] = await server.eval(`
			local rs = game:GetService("ReplicatedStorage")
			return rs == game.ReplicatedStorage, rs.Extra.ClassName, require(rs.Lib.e).x
		`);
		assert.deepEqual([isService, extra, json], [true, "Frobnicator", 1]);
		await assert.rejects(
			server.eval(`require(game.ReplicatedStorage.Lib.c)`),
			/^Error: ReplicatedStorage\.Lib\.c:1: Expected identifier/,
		);
	});

	it("names a missing $path", () => {
		const project = makePlace({
			"place.project.json": JSON.stringify({
				name: "p",
				tree: { $className: "DataModel", X: { $path: "gone" } },
			}),
		});
		assert.throws(() => loadProjectTree(project), /\$path ".*gone" of "X" does not exist/);
	});
});
