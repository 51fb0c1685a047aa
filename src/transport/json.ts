import { JsonDecoder } from "../protocol/responses";

/** The slice of HttpService used for JSON. */
export interface JsonService {
	JSONDecode(this: JsonService, text: string): unknown;
}

/** JSON decoding through HttpService:JSONDecode, which throws on anything that is not JSON. */
export function jsonDecoderFrom(service: JsonService): JsonDecoder {
	return (text) => {
		const [ok, value] = pcall(() => service.JSONDecode(text));
		return ok ? { ok: true, value } : { ok: false, reason: tostring(value) };
	};
}
