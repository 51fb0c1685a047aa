// Turns a Rojo project file into the instance tree the engine builds, following Rojo's
// file-to-instance rules for the file types a roblox-ts place contains.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** One instance of the tree, as handed to the engine. */
export interface TreeNode {
	className: string;
	name: string;
	/** Absolute path of a script's source file, read when the script first runs or is required. */
	source?: string;
	/** Absolute path of a JSON file, decoded when the ModuleScript is required. */
	json?: string;
	properties?: Record<string, unknown>;
	attributes?: Record<string, unknown>;
	children: TreeNode[];
}

interface ProjectNode {
	$className?: string;
	$path?: string | { optional: string };
	$properties?: Record<string, unknown>;
	$attributes?: Record<string, unknown>;
	[child: string]: unknown;
}

const SERVICE_NAMES = new Set([
	"Workspace",
	"Players",
	"Lighting",
	"ReplicatedFirst",
	"ReplicatedStorage",
	"ServerScriptService",
	"ServerStorage",
	"StarterGui",
	"StarterPack",
	"StarterPlayer",
	"SoundService",
	"Chat",
	"Teams",
	"TestService",
	"HttpService",
	"LocalizationService",
]);

const SCRIPT_SUFFIXES: [string, string][] = [
	[".server.luau", "Script"],
	[".server.lua", "Script"],
	[".client.luau", "LocalScript"],
	[".client.lua", "LocalScript"],
	[".luau", "ModuleScript"],
	[".lua", "ModuleScript"],
];

const INIT_FILES: [string, string][] = [
	["init.server.luau", "Script"],
	["init.server.lua", "Script"],
	["init.client.luau", "LocalScript"],
	["init.client.lua", "LocalScript"],
	["init.luau", "ModuleScript"],
	["init.lua", "ModuleScript"],
];

/** JSON files Rojo gives a special meaning; they never become ModuleScripts. */
const SPECIAL_JSON = [".project.json", ".meta.json", ".model.json"];

/** Builds the instance tree for a file or directory, or undefined when Rojo would ignore it. */
export function nodeFromPath(path: string, name?: string): TreeNode | undefined {
	const stat = statSync(path);
	if (stat.isDirectory()) {
		return nodeFromDirectory(path, name ?? basename(path));
	}
	const file = basename(path);
	for (const [suffix, className] of SCRIPT_SUFFIXES) {
		if (file.endsWith(suffix)) {
			return { className, name: name ?? file.slice(0, -suffix.length), source: path, children: [] };
		}
	}
	if (file.endsWith(".json") && !SPECIAL_JSON.some((s) => file.endsWith(s))) {
		return { className: "ModuleScript", name: name ?? file.slice(0, -".json".length), json: path, children: [] };
	}
	return undefined;
}

function nodeFromDirectory(dir: string, name: string): TreeNode {
	const entries = readdirSync(dir).sort();
	if (entries.includes("default.project.json")) {
		const nested = loadProjectTree(join(dir, "default.project.json"));
		nested.name = name;
		return nested;
	}
	let node: TreeNode = { className: "Folder", name, children: [] };
	const init = INIT_FILES.find(([file]) => entries.includes(file));
	if (init) {
		node = { className: init[1], name, source: join(dir, init[0]), children: [] };
	}
	const meta = join(dir, "init.meta.json");
	if (!init && existsSync(meta)) {
		const parsed = JSON.parse(readFileSync(meta, "utf8")) as { className?: string };
		if (parsed.className !== undefined) node.className = parsed.className;
	}
	for (const entry of entries) {
		if (entry.startsWith(".")) continue;
		if (INIT_FILES.some(([file]) => file === entry) || entry === "init.meta.json") continue;
		const child = nodeFromPath(join(dir, entry));
		if (child) node.children.push(child);
	}
	return node;
}

function nodeFromProject(project: ProjectNode, name: string, baseDir: string, isRoot: boolean): TreeNode {
	let node: TreeNode | undefined;
	const pathSpec = project.$path;
	if (pathSpec !== undefined) {
		const optional = typeof pathSpec === "object";
		const path = resolve(baseDir, optional ? pathSpec.optional : pathSpec);
		if (existsSync(path)) {
			node = nodeFromPath(path, name);
		} else if (!optional) {
			throw new Error(`project: $path "${path}" of "${name}" does not exist (run the build first?)`);
		}
	}
	const className =
		project.$className ?? node?.className ?? (isRoot ? "DataModel" : SERVICE_NAMES.has(name) ? name : "Folder");
	node ??= { className, name, children: [] };
	node.className = className;
	if (project.$properties) node.properties = { ...node.properties, ...project.$properties };
	if (project.$attributes) node.attributes = { ...node.attributes, ...project.$attributes };
	for (const [key, value] of Object.entries(project)) {
		if (key.startsWith("$")) continue;
		const child = nodeFromProject(value as ProjectNode, key, baseDir, false);
		const existing = node.children.findIndex((c) => c.name === key);
		if (existing >= 0) node.children.splice(existing, 1);
		node.children.push(child);
	}
	return node;
}

/** Reads a `*.project.json` file and returns its tree; paths resolve against the file's folder. */
export function loadProjectTree(projectFile: string): TreeNode {
	const file = resolve(projectFile);
	const project = JSON.parse(readFileSync(file, "utf8")) as { name: string; tree: ProjectNode };
	return nodeFromProject(project.tree, project.name, dirname(file), true);
}
