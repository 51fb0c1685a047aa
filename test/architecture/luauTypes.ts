// Reads the exported types of a Luau module (the typed Wally entry) and the public types of the
// TypeScript package, reduced to what the two can be compared by: names, string literals, fields, and
// the arity of functions and signals.
import ts from "typescript";

/** A type reduced to what can be compared across the two languages. */
export type Shape =
	| { kind: "literals"; values: string[] }
	| { kind: "table"; fields: Map<string, FieldShape> }
	| { kind: "variants"; byKind: Map<string, string[]> }
	| { kind: "other" };

/** A field: a function or signal with its arity, or anything else. */
export type FieldShape = { kind: "function"; arity: number } | { kind: "signal"; arity: number } | { kind: "other" };

/** Splits `text` at top-level occurrences of `separator` (outside (), {}, <>, [] and strings). */
function splitTop(text: string, separator: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let quote: string | undefined;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote !== undefined) {
			if (c === quote) quote = undefined;
			continue;
		}
		if (c === '"' || c === "'") quote = c;
		else if ("({[<".includes(c)) depth++;
		else if (")}]".includes(c) || (c === ">" && text[i - 1] !== "-")) depth--;
		else if (depth === 0 && text.startsWith(separator, i)) {
			parts.push(text.slice(start, i));
			start = i + separator.length;
		}
	}
	parts.push(text.slice(start));
	return parts.map((part) => part.trim()).filter((part) => part !== "");
}

/** Whether the parenthesis at the start of `text` closes at its very end. */
function enclosed(text: string): boolean {
	if (!text.startsWith("(") || !text.endsWith(")")) return false;
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		if (text[i] === "(") depth++;
		else if (text[i] === ")") depth--;
		if (depth === 0) return i === text.length - 1;
	}
	return false;
}

/** A type without its optional mark and redundant parentheses: `((a) -> ())?` is `(a) -> ()`. */
function unwrap(text: string): string {
	let t = text.trim();
	for (;;) {
		if (t.endsWith("?")) t = t.slice(0, -1).trim();
		else if (enclosed(t)) t = t.slice(1, -1).trim();
		else return t;
	}
}

function luauField(text: string): FieldShape {
	const t = unwrap(text);
	const signal = /^Signal<(.*)>$/s.exec(t);
	if (signal) return { kind: "signal", arity: splitTop(signal[1], ",").length };
	const arrow = splitTop(t, "->");
	if (arrow.length === 2 && arrow[0].startsWith("(")) {
		const params = splitTop(arrow[0].slice(1, -1), ",").filter((p) => !/^self\s*:/.test(p));
		return { kind: "function", arity: params.length };
	}
	return { kind: "other" };
}

function luauTable(text: string): Map<string, FieldShape> {
	const fields = new Map<string, FieldShape>();
	for (const entry of splitTop(text.slice(1, -1), ",")) {
		const colon = entry.indexOf(":");
		const name = entry.slice(0, colon).trim();
		if (/^\[/.test(name)) continue; // an indexer, not a named field
		fields.set(name, luauField(entry.slice(colon + 1)));
	}
	return fields;
}

function luauShape(body: string): Shape {
	const alternatives = splitTop(body, "|");
	if (alternatives.every((a) => /^"[^"]*"$/.test(a))) {
		return { kind: "literals", values: alternatives.map((a) => a.slice(1, -1)) };
	}
	if (alternatives.every((a) => a.startsWith("{"))) {
		const tables = alternatives.map(luauTable);
		if (tables.length === 1) return { kind: "table", fields: tables[0] };
		const byKind = new Map<string, string[]>();
		for (const [i, table] of tables.entries()) {
			const kind = /kind\s*:\s*"([^"]+)"/.exec(alternatives[i])?.[1] ?? "?";
			byKind.set(kind, [...table.keys()].sort());
		}
		return { kind: "variants", byKind };
	}
	return { kind: "other" };
}

/** The `export type` declarations of a Luau module, by name. Comments are ignored. */
export function luauExportedTypes(source: string): Map<string, { shape: Shape; body: string }> {
	const text = source.replace(/--\[\[[\s\S]*?\]\]/g, "").replace(/--[^\n]*/g, "");
	const types = new Map<string, { shape: Shape; body: string }>();
	const header = /^export type (\w+)(<[^>]*>)?\s*=/gm;
	for (let match = header.exec(text); match; match = header.exec(text)) {
		// The body runs until the next line that starts a new statement at column 0.
		const rest = text.slice(match.index + match[0].length);
		const end = /\n(?=[A-Za-z_])/.exec(rest);
		const body = (end ? rest.slice(0, end.index) : rest).trim();
		types.set(match[1], { shape: luauShape(body), body });
	}
	return types;
}

/** The public API of the TypeScript package: what `entry` exports, with each type's shape. */
export function typescriptExports(entry: string, tsconfigPath: string) {
	const config = ts.getParsedCommandLineOfConfigFile(
		tsconfigPath,
		{},
		{
			...ts.sys,
			onUnRecoverableConfigFileDiagnostic: (d) => {
				throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
			},
		},
	);
	if (!config) throw new Error(`cannot read ${tsconfigPath}`);
	const program = ts.createProgram([entry], { ...config.options, noEmit: true, incremental: false });
	const checker = program.getTypeChecker();
	const source = program.getSourceFile(entry);
	if (!source) throw new Error(`cannot load ${entry}`);
	const moduleSymbol = checker.getSymbolAtLocation(source);
	if (!moduleSymbol) throw new Error(`${entry} is not a module`);

	const isInternal = (symbol: ts.Symbol) =>
		(symbol.declarations ?? []).some((d) => ts.getJSDocTags(d).some((tag) => tag.tagName.text === "internal"));
	const isPublicMember = (symbol: ts.Symbol) =>
		!isInternal(symbol) &&
		!(symbol.declarations ?? []).some(
			(d) => (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0,
		) &&
		!symbol.name.startsWith("__");

	function fieldOf(symbol: ts.Symbol, at: ts.Node): FieldShape {
		const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(symbol, at));
		if (type.getSymbol()?.name === "Signal") {
			const [tuple] = checker.getTypeArguments(type as ts.TypeReference);
			const target = tuple && (tuple as ts.TupleTypeReference).target;
			return { kind: "signal", arity: target?.elementFlags?.length ?? 0 };
		}
		const signatures = type.getCallSignatures();
		if (signatures.length > 0) return { kind: "function", arity: signatures[0].parameters.length };
		return { kind: "other" };
	}

	function shapeOf(type: ts.Type, at: ts.Node): Shape {
		if (type.isUnion() && type.types.every((t) => t.isStringLiteral())) {
			return { kind: "literals", values: type.types.map((t) => (t as ts.StringLiteralType).value) };
		}
		if (type.isUnion() && type.types.every((t) => t.getProperty("kind") !== undefined)) {
			const byKind = new Map<string, string[]>();
			for (const member of type.types) {
				const kindType = checker.getTypeOfSymbolAtLocation(member.getProperty("kind") as ts.Symbol, at);
				const kind = kindType.isStringLiteral() ? kindType.value : "?";
				byKind.set(
					kind,
					member
						.getProperties()
						.map((p) => p.name)
						.sort(),
				);
			}
			return { kind: "variants", byKind };
		}
		if (type.getProperties().length > 0) {
			const fields = new Map<string, FieldShape>();
			for (const property of type.getProperties()) {
				if (isPublicMember(property)) fields.set(property.name, fieldOf(property, at));
			}
			return { kind: "table", fields };
		}
		return { kind: "other" };
	}

	const exports = new Map<string, { isType: boolean; shape: Shape }>();
	for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
		const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
		const declaration = target.declarations?.[0];
		if (!declaration) continue;
		const isValue = (target.flags & ts.SymbolFlags.Value) !== 0;
		const typeOnlyExport = (symbol.declarations ?? []).some(
			(d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
		);
		const type =
			target.flags & ts.SymbolFlags.Class ||
			target.flags & ts.SymbolFlags.Interface ||
			target.flags & ts.SymbolFlags.TypeAlias
				? checker.getDeclaredTypeOfSymbol(target)
				: checker.getTypeOfSymbolAtLocation(target, declaration);
		exports.set(symbol.name, { isType: !isValue || typeOnlyExport, shape: shapeOf(type, declaration) });
	}
	return exports;
}
