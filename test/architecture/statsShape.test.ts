// The stats snapshot has one source of truth: the SDK's `PlaywaveStats` (src/server/stats/types.ts).
// The e2e harness reads it as JSON under its own declaration (`PlaywaveStatsJson` in
// test/e2e/harness.ts), because the Node-side trees cannot type-check the SDK's roblox-ts sources. This
// check keeps the two in step: the same fields at every level, optional in both or in neither.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ts from "typescript";

const ROOT = join(__dirname, "..", "..");
const SDK = { file: "src/server/stats/types.ts", name: "PlaywaveStats" };
const HARNESS = { file: "test/e2e/harness.ts", name: "PlaywaveStatsJson" };

/** A declared type reduced to its field names: a value, or fields each with its own shape. */
type Shape = "value" | Map<string, { optional: boolean; shape: Shape }>;

type Declarations = Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;

/** The interfaces and type aliases declared at the top of a file, by name. */
function declarationsOf(text: string, file: string): Declarations {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found: Declarations = new Map();
	for (const statement of source.statements) {
		if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
			found.set(statement.name.text, statement);
		}
	}
	return found;
}

function membersShape(members: ts.NodeArray<ts.TypeElement>, declared: Declarations): Shape {
	const fields = new Map<string, { optional: boolean; shape: Shape }>();
	for (const member of members) {
		if (!ts.isPropertySignature(member) || member.type === undefined) {
			throw new Error(`cannot compare the member "${member.getText()}"`);
		}
		fields.set(member.name.getText(), {
			optional: member.questionToken !== undefined,
			shape: shapeOf(member.type, declared),
		});
	}
	return fields;
}

/** String literal keys of `Record<"a" | "b", …>`, or undefined when the keys are not all literals. */
function literalKeys(node: ts.TypeNode): string[] | undefined {
	const parts = ts.isUnionTypeNode(node) ? [...node.types] : [node];
	const keys = parts.map((part) =>
		ts.isLiteralTypeNode(part) && ts.isStringLiteral(part.literal) ? part.literal.text : undefined,
	);
	return keys.every((key) => key !== undefined) ? (keys as string[]) : undefined;
}

/**
 * The shape of a type written in the file: object literals and the file's own interfaces and aliases
 * are followed; `Record` with literal keys counts as those fields; anything else is a value.
 */
function shapeOf(node: ts.TypeNode, declared: Declarations): Shape {
	if (ts.isParenthesizedTypeNode(node)) return shapeOf(node.type, declared);
	if (ts.isTypeLiteralNode(node)) return membersShape(node.members, declared);
	if (!ts.isTypeReferenceNode(node)) return "value";
	const name = node.typeName.getText();
	const args = node.typeArguments ?? [];
	const local = declared.get(name);
	if (local !== undefined) {
		if (ts.isTypeAliasDeclaration(local)) return shapeOf(local.type, declared);
		if (local.heritageClauses !== undefined) throw new Error(`cannot compare ${name}: it extends another type`);
		return membersShape(local.members, declared);
	}
	if (name === "Readonly" && args.length === 1) return shapeOf(args[0], declared);
	const keys = name === "Record" && args.length === 2 ? literalKeys(args[0]) : undefined;
	if (keys === undefined) return "value";
	const field = { optional: false, shape: shapeOf(args[1], declared) };
	return new Map(keys.map((key) => [key, field]));
}

/** The shape of the type `name` declared in `text`. */
function declaredShape(text: string, file: string, name: string): Shape {
	const declared = declarationsOf(text, file);
	const declaration = declared.get(name);
	if (declaration === undefined) throw new Error(`${file} declares no ${name}`);
	return ts.isTypeAliasDeclaration(declaration)
		? shapeOf(declaration.type, declared)
		: membersShape(declaration.members, declared);
}

/** Where two shapes differ, one line per field, named by its path. */
function differences(sdk: Shape, harness: Shape, path = ""): string[] {
	if (sdk === "value" || harness === "value") {
		if (sdk === harness) return [];
		return [
			`${path || "(top)"}: fields in ${sdk === "value" ? HARNESS.file : SDK.file}, a plain value in the other`,
		];
	}
	const lines: string[] = [];
	for (const [name, field] of sdk) {
		const at = path === "" ? name : `${path}.${name}`;
		const other = harness.get(name);
		if (other === undefined) lines.push(`${at}: only in ${SDK.file}`);
		else if (other.optional !== field.optional)
			lines.push(`${at}: optional in ${field.optional ? SDK.file : HARNESS.file} only`);
		if (other !== undefined) lines.push(...differences(field.shape, other.shape, at));
	}
	for (const name of harness.keys()) {
		if (!sdk.has(name)) lines.push(`${path === "" ? name : `${path}.${name}`}: only in ${HARNESS.file}`);
	}
	return lines;
}

const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const sdkText = read(SDK.file);
const harnessText = read(HARNESS.file);
const harnessShape = declaredShape(harnessText, HARNESS.file, HARNESS.name);

/** The SDK's declaration with `from` replaced by `to` (which must occur). */
function sdkWith(from: string, to: string): Shape {
	assert.ok(sdkText.includes(from), `the SDK's declaration no longer contains ${JSON.stringify(from)}`);
	return declaredShape(sdkText.replace(from, to), SDK.file, SDK.name);
}

test("the e2e harness declares the stats snapshot with the SDK's fields, at every level", () => {
	const sdk = declaredShape(sdkText, SDK.file, SDK.name);
	assert.ok(sdk !== "value" && sdk.size >= 5, "the SDK's snapshot was read as fields");
	assert.deepEqual(differences(sdk, harnessShape), []);
});

test("a field added, made optional or turned into an object on one side only fails, naming it", () => {
	assert.deepEqual(
		differences(sdkWith("handedOver: number;", "handedOver: number; teleported: number;"), harnessShape),
		[`totals.teleported: only in ${SDK.file}`],
	);
	assert.deepEqual(differences(sdkWith("chargeExhausted: number;", "chargeExhausted?: number;"), harnessShape), [
		`totals.chargeExhausted: optional in ${SDK.file} only`,
	]);
	assert.deepEqual(differences(sdkWith("readonly since: number;", "readonly since: { at: number };"), harnessShape), [
		`connection.since: fields in ${SDK.file}, a plain value in the other`,
	]);
	assert.deepEqual(differences(sdkWith("Unconfirmed: number;", ""), harnessShape), [
		`totals.ended.Unconfirmed: only in ${HARNESS.file}`,
	]);
});
