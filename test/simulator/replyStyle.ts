// How the simulator writes its JSON replies. "plain" is the documented envelope, compact. "odd" is the
// same content as a real API may also send it without breaking its contract: fields the docs do not
// list (at the top, in `data`, in `error`), keys in another order, whole numbers written as decimals
// (`120.0`), escaped slashes, CRLF line breaks and indentation, and a Content-Type with other spelling.
// A client that reads the documented fields by name, as JSON, handles both the same.

export type ReplyStyle = "plain" | "odd";

const PLAIN_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;
const ODD_HEADERS = {
	"content-type": "application/json;charset=UTF-8",
	"cache-control": "no-store",
	vary: "Accept-Encoding",
} as const;

/** The reply headers for a JSON body in this style. */
export function jsonHeaders(style: ReplyStyle): Record<string, string> {
	return { ...(style === "odd" ? ODD_HEADERS : PLAIN_HEADERS) };
}

/** The body as this style writes it. */
export function writeJson(body: Record<string, unknown>, style: ReplyStyle): string {
	return style === "odd" ? encodeOdd(withUndocumentedFields(body), "") : JSON.stringify(body);
}

/** Adds fields the PlayWave docs do not list, as an API adding them in a later version would. */
function withUndocumentedFields(body: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = { ...body, meta: { api_version: "1.3", deprecations: [], region: null } };
	if (isObject(body.data)) out.data = { ...body.data, server_region: "ap-northeast-2", hint: null };
	if (isObject(body.error)) out.error = { ...body.error, details: [], docs_url: "https://docs.playwave.dev/errors" };
	return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with the keys of every object in reverse order, decimals for whole numbers, `\/`, CRLF and tabs. */
function encodeOdd(value: unknown, indent: string): string {
	if (typeof value === "number")
		return Number.isInteger(value) && Math.abs(value) < 1e15 ? `${value}.0` : String(value);
	if (typeof value === "string") return JSON.stringify(value).replace(/\//g, "\\/");
	if (Array.isArray(value)) {
		if (value.length === 0) return "[ ]";
		const inner = indent + "\t";
		return `[\r\n${value.map((v) => inner + encodeOdd(v, inner)).join(",\r\n")}\r\n${indent}]`;
	}
	if (isObject(value)) {
		const keys = Object.keys(value)
			.filter((k) => value[k] !== undefined)
			.reverse();
		if (keys.length === 0) return "{ }";
		const inner = indent + "\t";
		const fields = keys.map((k) => `${inner}${JSON.stringify(k)} : ${encodeOdd(value[k], inner)}`);
		return `{\r\n${fields.join(",\r\n")}\r\n${indent}}`;
	}
	return JSON.stringify(value) ?? "null";
}
